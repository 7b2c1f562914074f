import net from "node:net";
import { describe, expect, it } from "vitest";
import { assertPortsFree, devPorts } from "./dev-ports";

describe("development ports", () => {
  it("derives remix dev's and PostgreSQL's ports from PORT, so copies on other PORTs never share one", () => {
    expect(devPorts({})).toEqual({ app: 3000, remixDev: 4000, postgres: 5433 });
    const a = devPorts({ PORT: "3101" });
    const b = devPorts({ PORT: "3102" });
    expect(a).toEqual({ app: 3101, remixDev: 4101, postgres: 5534 });
    expect(new Set([...Object.values(a), ...Object.values(b)]).size).toBe(6);
  });

  it("takes each port as configured", () => {
    expect(devPorts({ PORT: "3200", REMIX_DEV_PORT: "3201", PG_PORT: "5499" })).toEqual({ app: 3200, remixDev: 3201, postgres: 5499 });
  });

  it("skips a port fetch refuses when deriving one, and refuses it when set by hand", () => {
    // PORT=3190 derived REMIX_DEV_PORT 4190 (ManageSieve), which `remix dev`'s own fetch refused.
    expect(devPorts({ PORT: "3190" })).toEqual({ app: 3190, remixDev: 4191, postgres: 5623 });
    expect(() => devPorts({ PORT: "3190", REMIX_DEV_PORT: "4190" })).toThrow(/REMIX_DEV_PORT=4190 is a port browsers and fetch refuse/);
    expect(() => devPorts({ PORT: "6000" })).toThrow(/PORT=6000/);
  });

  it("refuses a port that is not a number, and two services on one port", () => {
    expect(() => devPorts({ PORT: "30x0" })).toThrow(/PORT must be a port number/);
    expect(() => devPorts({ PORT: "3000", PG_PORT: "70000" })).toThrow(/PG_PORT must be a port number/);
    expect(() => devPorts({ PORT: "3300", REMIX_DEV_PORT: "3300" })).toThrow(/REMIX_DEV_PORT and PORT are both 3300/);
    expect(() => devPorts({ PORT: "64000" })).toThrow(/REMIX_DEV_PORT would be 65000.*PG_PORT|PG_PORT would be 66433/);
  });

  it("names the variable to change when a port is taken", async () => {
    const taken = net.createServer();
    const port = await new Promise<number>((resolve) =>
      taken.listen(0, "127.0.0.1", () => resolve((taken.address() as net.AddressInfo).port)),
    );
    try {
      await expect(assertPortsFree({ remixDev: port })).rejects.toThrow(`Port ${port} (REMIX_DEV_PORT) is in use`);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
    await expect(assertPortsFree({ remixDev: port })).resolves.toBeUndefined();
  });
});
