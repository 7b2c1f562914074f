import { createCookie } from "@remix-run/node";
import { env } from "~/lib/env.server";

/** The pending sign-in of decision 033: the password was right, the code is still to come. */

/** Ten minutes to open the app and type a code; after that, the password again. */
export const PENDING_MINUTES = 10;

export interface PendingSignIn {
  /** The tenant user or operator whose password was right. */
  accountId: string;
  /** The tenant it belongs to, or "platform": a cookie copied to another host is worthless there. */
  scope: string;
  expiresAt: number;
  redirectTo: string;
}

/**
 * A signed, HttpOnly, host-only cookie: no session exists until the code is right, so this
 * cookie opens no page but the code form (docs/architecture.md §7: sessions are rows; this is not one).
 */
function pendingCookie(name: "covera_2fa_pending" | "covera_operator_2fa_pending") {
  const production = env().NODE_ENV === "production";
  return createCookie(production ? `__Host-${name}` : name, {
    httpOnly: true,
    sameSite: "lax",
    secure: production,
    path: "/",
    maxAge: PENDING_MINUTES * 60,
    secrets: [env().SESSION_SECRET],
  });
}

export type PendingKind = "user" | "operator";
const PENDING_NAMES = { user: "covera_2fa_pending", operator: "covera_operator_2fa_pending" } as const;

export function startPending(kind: PendingKind, input: Omit<PendingSignIn, "expiresAt">, now = new Date()): Promise<string> {
  const value: PendingSignIn = { ...input, expiresAt: now.getTime() + PENDING_MINUTES * 60_000 };
  return pendingCookie(PENDING_NAMES[kind]).serialize(value);
}

/** The pending sign-in this browser holds for this scope, or null (none, forged, expired, another host's). */
export async function readPending(kind: PendingKind, request: Request, scope: string, now = new Date()): Promise<PendingSignIn | null> {
  const value: unknown = await pendingCookie(PENDING_NAMES[kind]).parse(request.headers.get("Cookie"));
  if (!value || typeof value !== "object") return null;
  const pending = value as Partial<PendingSignIn>;
  if (typeof pending.accountId !== "string" || typeof pending.redirectTo !== "string" || typeof pending.expiresAt !== "number") return null;
  if (pending.scope !== scope || pending.expiresAt <= now.getTime()) return null;
  return pending as PendingSignIn;
}

export function clearPending(kind: PendingKind): Promise<string> {
  return pendingCookie(PENDING_NAMES[kind]).serialize("", { maxAge: 0, expires: new Date(0) });
}
