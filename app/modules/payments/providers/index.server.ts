import { CurlecProvider } from "./curlec.server";
import { MpesaProvider } from "./mpesa.server";
import { PaypalProvider } from "./paypal.server";
import { PaystackProvider } from "./paystack.server";
import { SandboxProvider } from "./sandbox.server";
import { StripeProvider } from "./stripe.server";
import { parseProviderConfig, type PaymentProvider, type PayoutProvider, type ProviderDeps, type ProviderName } from "./types";

export * from "./types";
export { newCallbackToken } from "./signatures.server";
export { normaliseKenyanPhone } from "./phone";
export { paypalTakes } from "./paypal.server";

/**
 * The adapter for a tenant's provider, with its (decrypted) configuration. The configuration is
 * validated here, so a bad setting fails loudly with a `ProviderConfigError` that names the fields
 * (never their values), not halfway through a customer's payment.
 */
export function providerFor(name: ProviderName, config: unknown, deps: ProviderDeps = {}): PaymentProvider {
  switch (name) {
    case "mpesa":
      return new MpesaProvider(parseProviderConfig("mpesa", config), deps);
    case "paystack":
      return new PaystackProvider(parseProviderConfig("paystack", config), deps);
    case "stripe":
      return new StripeProvider(parseProviderConfig("stripe", config), deps);
    case "sandbox":
      return new SandboxProvider(parseProviderConfig("sandbox", config), deps);
    case "curlec":
      return new CurlecProvider(parseProviderConfig("curlec", config), deps);
    case "paypal":
      return new PaypalProvider(parseProviderConfig("paypal", config), deps);
  }
}

/** Providers that can pay money out (decision 025); issue 15 adds more. */
export const PAYOUT_PROVIDER_NAMES = ["mpesa", "sandbox"] as const satisfies readonly ProviderName[];
export type PayoutProviderName = (typeof PAYOUT_PROVIDER_NAMES)[number];

export function isPayoutProviderName(name: string): name is PayoutProviderName {
  return (PAYOUT_PROVIDER_NAMES as readonly string[]).includes(name);
}

/** The payout side of a tenant's provider, with its (decrypted) configuration validated as for payments. */
export function payoutProviderFor(name: PayoutProviderName, config: unknown, deps: ProviderDeps = {}): PayoutProvider {
  switch (name) {
    case "mpesa":
      return new MpesaProvider(parseProviderConfig("mpesa", config), deps);
    case "sandbox":
      return new SandboxProvider(parseProviderConfig("sandbox", config), deps);
  }
}
