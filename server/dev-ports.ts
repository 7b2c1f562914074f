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
    if (fallback > 65535) throw new Error(`${name} would be ${fallback} (derived from PORT), past 65535: set ${name}.`);
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number (1–65535), not "${raw}".`);
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
