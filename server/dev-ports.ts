import net from "node:net";

/**
 * Every port a development copy of Covera listens on, derived from its configuration: the app's
 * PORT, `remix dev`'s own server (which also carries the live-reload websocket) and the embedded
 * PostgreSQL. Left to itself `remix dev` takes the first free port from 3001, so two copies
 * started together both took 3001 and one crashed with EADDRINUSE. Offsets of 1000 and 2433 keep
 * copies on neighbouring PORTs (3101, 3102) apart; by default 3000, 4000 and 5433.
 */
export interface DevPorts {
  /** The app server (PORT). */
  app: number;
  /** `remix dev --port`: rebuild notices and the browser's live-reload websocket (REMIX_DEV_PORT). */
  remixDev: number;
  /** The embedded development PostgreSQL (PG_PORT), used when DATABASE_URL is unset. */
  postgres: number;
}

const NAMES: Record<keyof DevPorts, string> = { app: "PORT", remixDev: "REMIX_DEV_PORT", postgres: "PG_PORT" };

/**
 * The ports browsers and Node's fetch refuse to connect to (the Fetch standard's "bad ports"): with
 * PORT=3190 the derived REMIX_DEV_PORT was 4190 (ManageSieve), and `remix dev`'s own fetch to it
 * failed, crashing the dev server. A derived port skips them; one set by hand is refused by name.
 */
const FETCH_BLOCKED_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117,
  119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636,
  989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

export function devPorts(environment: Record<string, string | undefined> = process.env): DevPorts {
  const app = port(environment, "PORT", 3000);
  const ports: DevPorts = {
    app,
    remixDev: port(environment, "REMIX_DEV_PORT", app + 1000),
    postgres: port(environment, "PG_PORT", app + 2433),
  };
  const seen = new Map<number, string>();
  for (const key of Object.keys(ports) as (keyof DevPorts)[]) {
    const other = seen.get(ports[key]);
    if (other) throw new Error(`${NAMES[key]} and ${other} are both ${ports[key]}: give each its own port.`);
    seen.set(ports[key], NAMES[key]);
  }
  return ports;
}

function port(environment: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = environment[name]?.trim();
  if (!raw) {
    let derived = fallback;
    while (FETCH_BLOCKED_PORTS.has(derived)) derived += 1;
    if (derived > 65535) throw new Error(`${name} would be ${derived} (derived from PORT), past 65535: set ${name}.`);
    return derived;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number (1–65535), not "${raw}".`);
  if (FETCH_BLOCKED_PORTS.has(value))
    throw new Error(`${name}=${value} is a port browsers and fetch refuse to connect to: choose another.`);
  return value;
}

/**
 * Refuses to start when a port is taken, naming the variable that moves it, instead of failing
 * half-way with a bare EADDRINUSE from whichever server happened to bind last.
 */
export async function assertPortsFree(ports: Partial<DevPorts>): Promise<void> {
  for (const key of Object.keys(ports) as (keyof DevPorts)[]) {
    const value = ports[key];
    if (value === undefined) continue;
    if (!(await isFree(value))) {
      throw new Error(
        `Port ${value} (${NAMES[key]}) is in use, perhaps by another copy of Covera: set ${NAMES[key]} (or PORT) to another port.`,
      );
    }
  }
}

function isFree(value: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(value, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
