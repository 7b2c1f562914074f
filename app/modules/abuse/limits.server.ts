import { env } from "~/lib/env.server";

export interface Limit {
  /** Requests allowed per window; the next one is refused with 429 until the window ends. */
  max: number;
  windowSeconds: number;
}

/**
 * What each rate limit allows one client (a network, or a signed-in account) within one agency or
 * the platform site, in production. README lists them; RATE_LIMIT_MULTIPLIER scales every `max`
 * (the test suite's shared app is generous, the rate-limit tests run these very numbers).
 */
const LIMITS = {
  /** Failed sign-ins (a success gives its try back): one client trying a password across accounts. */
  sign_in: { max: 10, windowSeconds: 10 * 60 },
  register: { max: 10, windowSeconds: 60 * 60 },
  password_reset: { max: 10, windowSeconds: 60 * 60 },
  /** Views of and posts to /join/*: joining, and guessing referral codes. */
  join: { max: 30, windowSeconds: 10 * 60 },
  /** Asking for and entering phone confirmation codes, per agent account. */
  phone_code: { max: 20, windowSeconds: 60 * 60 },
  /** Quotes created: the storefront's quote forms and POST /api/v1/quotes together. */
  quote: { max: 60, windowSeconds: 10 * 60 },
  /** Providers' callbacks and webhooks, per network: generous, a provider posts from a few addresses. */
  provider_callback: { max: 3000, windowSeconds: 60 },
  /** /api/v1 calls an hour without a token or key (the plans' figure; each agency may set its own in api_settings). */
  api_anonymous: { max: 100, windowSeconds: 60 * 60 },
  /** /api/v1 calls an hour with a token or key, per account or key. */
  api_authenticated: { max: 1000, windowSeconds: 60 * 60 },
} as const satisfies Record<string, Limit>;

export type LimitName = keyof typeof LIMITS;

/** `max` overrides the limit's own (an agency's API allowance); the multiplier applies to either. */
export function limitOf(name: LimitName, maxOverride?: number): Limit {
  const { windowSeconds } = LIMITS[name];
  const max = maxOverride ?? LIMITS[name].max;
  return { max: Math.max(1, Math.floor(max * env().RATE_LIMIT_MULTIPLIER)), windowSeconds };
}
