import { describe, expect, it } from "vitest";
import { networkOf } from "./network.server";

describe("networkOf", () => {
  it("keeps an IPv4 address, unwraps a mapped one, and groups IPv6 by its /64", () => {
    expect(networkOf("203.0.113.7")).toBe("203.0.113.7");
    expect(networkOf("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(networkOf("2001:db8:aa:bb:1:2:3:4")).toBe("2001:db8:aa:bb::/64");
    expect(networkOf("2001:0db8:00aa:00bb:ffff::1")).toBe("2001:db8:aa:bb::/64");
    expect(networkOf("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(networkOf("2001:db8:aa:bb::")).toBe("2001:db8:aa:bb::/64");
    expect(networkOf("::1")).toBe("0:0:0:0::/64");
    expect(networkOf("::")).toBe("0:0:0:0::/64");
    expect(networkOf("64:ff9b::192.0.2.1")).toBe("64:ff9b:0:0::/64");
    expect(networkOf("")).toBe("unknown");
    expect(networkOf(null)).toBe("unknown");
  });
});
