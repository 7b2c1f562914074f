import { createCookie } from "@remix-run/node";
import { env } from "~/lib/env.server";
import { compareSelectionFrom, MAX_COMPARE } from "./compare";

/**
 * The products a visitor has picked to compare, kept in a `compare` cookie between pages (the
 * comparison itself lives in the /compare URL, so it can be shared). Slugs only: they are looked
 * up in the tenant's own catalogue every time, and the cookie belongs to one host.
 */
function compareCookie() {
  const production = env().NODE_ENV === "production";
  return createCookie(production ? "__Host-compare" : "compare", {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: production,
    maxAge: 60 * 60 * 24 * 30,
  });
}

export async function readCompareSelection(request: Request): Promise<string[]> {
  let value: unknown;
  try {
    value = await compareCookie().parse(request.headers.get("Cookie"));
  } catch {
    return [];
  }
  return Array.isArray(value) ? compareSelectionFrom(value.filter((v): v is string => typeof v === "string")).slugs : [];
}

/** The Set-Cookie header for a selection (an empty one clears the cookie). */
export function writeCompareSelection(slugs: readonly string[]): Promise<string> {
  return slugs.length ? compareCookie().serialize([...slugs]) : compareCookie().serialize([], { maxAge: 0 });
}

export type CompareIntent = "add" | "remove" | "clear";

/** The selection after an add/remove/clear; adding a fourth product is refused, not squeezed in. */
export function changeSelection(current: readonly string[], intent: CompareIntent, slug?: string): { slugs: string[]; refused: boolean } {
  if (intent === "clear") return { slugs: [], refused: false };
  if (!slug) return { slugs: [...current], refused: false };
  if (intent === "remove") return { slugs: current.filter((s) => s !== slug), refused: false };
  if (current.includes(slug)) return { slugs: [...current], refused: false };
  if (current.length >= MAX_COMPARE) return { slugs: [...current], refused: true };
  return { slugs: [...current, slug], refused: false };
}
