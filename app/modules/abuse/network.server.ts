import { isIP } from "node:net";

/**
 * The network a client address belongs to, as rate limits and the sign-in lockout count it: an
 * IPv4 address as it is; an IPv6 address by its /64, because one subscriber is handed a whole /64
 * and could otherwise take a fresh address for every try. The address itself comes from the
 * header the HTTP server sets (CLIENT_IP_HEADER), never from the client.
 */
export function networkOf(ip: string | null | undefined): string {
  if (!ip) return "unknown";
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIP(ip) !== 6) return ip;
  const [head = "", tail] = ip.split("::");
  const groups = (part: string) => (part ? part.split(":") : []);
  let full = groups(head);
  if (tail !== undefined) {
    const end = groups(tail);
    // An IPv4 address at the end (::ffff:… is handled above) stands for two groups.
    const missing = 8 - full.length - end.length - (tail.includes(".") ? 1 : 0);
    full = [...full, ...Array<string>(Math.max(missing, 0)).fill("0"), ...end];
  }
  return `${full
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(":")}::/64`;
}
