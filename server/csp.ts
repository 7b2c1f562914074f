import { randomBytes } from "node:crypto";

/**
 * The Content-Security-Policy of every page (docs/decisions/014-content-security-policy.md):
 * scripts only by a per-response nonce (Remix's inline scripts carry it, and 'strict-dynamic'
 * lets them load the build's modules and Stripe.js); no plugins, no framing, forms only to this
 * site and to Paystack's checkout (the pay step redirects a posted form there). Styles: our
 * stylesheet and nonced <style> elements; style attributes stay allowed (React renders a few, and
 * they cannot run script).
 */
export function contentSecurityPolicy(options: { sentryDsn?: string }) {
  const sentry = options.sentryDsn ? ` ${new URL(options.sentryDsn).origin}` : "";
  const before = "default-src 'self'; script-src 'nonce-";
  const after = [
    "' 'strict-dynamic'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self' https://checkout.paystack.com",
    // Stripe's card form lives in Stripe's frames and talks to Stripe's API (Stripe's CSP guide).
    "frame-src https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com",
    `connect-src 'self' https://api.stripe.com${sentry}`,
    // data: for QR codes; https: for logos an agency may host elsewhere (images cannot run script).
    "img-src 'self' data: https:",
    "font-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "style-src 'self' 'nonce-",
  ].join("; ");
  return {
    /** A fresh nonce: 128 random bits. */
    nonce: () => randomBytes(16).toString("base64"),
    header: (nonce: string) => `${before}${nonce}${after}${nonce}'`,
  };
}
