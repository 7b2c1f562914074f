import { MpesaProvider } from "./mpesa.server";
import { PaystackProvider } from "./paystack.server";
import { SandboxProvider } from "./sandbox.server";
import { StripeProvider } from "./stripe.server";
import { parseProviderConfig, type PaymentProvider, type ProviderDeps, type ProviderName } from "./types";

export * from "./types";
export { newCallbackToken } from "./signatures.server";
export { normaliseKenyanPhone } from "./phone";

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
  }
}
