import { createCookie } from "@remix-run/node";
import { env } from "~/lib/env.server";
import { lineText } from "~/lib/text";

const CART_DAYS = 30;

/**
 * An anonymous visitor's cart: the cookie holds only the cart's id, signed so it cannot be forged.
 * Host-only (no Domain; `__Host-` in production), so one agency's cart is never sent to another's
 * host; and even replayed there, the id finds nothing under the other tenant's row security.
 */
export function cartCookie() {
  const production = env().NODE_ENV === "production";
  return createCookie(production ? "__Host-covera_cart" : "covera_cart", {
    httpOnly: true,
    sameSite: "lax",
    secure: production,
    path: "/",
    maxAge: CART_DAYS * 24 * 60 * 60,
    secrets: [env().SESSION_SECRET],
  });
}

const cartIdSchema = lineText().uuid();

/** The anonymous cart id this browser holds, or null (none, tampered, malformed). */
export async function readCartId(request: Request): Promise<string | null> {
  const value: unknown = await cartCookie().parse(request.headers.get("Cookie"));
  const parsed = cartIdSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function setCartCookie(cartId: string): Promise<string> {
  return cartCookie().serialize(cartId);
}

export function clearCartCookie(): Promise<string> {
  return cartCookie().serialize("", { maxAge: 0 });
}
