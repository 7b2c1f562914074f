import { useEffect, useRef, useState } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useTranslation } from "react-i18next";

/* Stripe.js is loaded from Stripe (it must be, for card data never to touch our servers). */
interface StripeElements {
  create(type: "payment"): { mount(el: HTMLElement): void; destroy(): void };
}
interface StripeJs {
  elements(options: { clientSecret: string }): StripeElements;
  confirmPayment(options: { elements: StripeElements; confirmParams: { return_url: string } }): Promise<{ error?: { message?: string } }>;
}
declare global {
  interface Window {
    Stripe?: (key: string) => StripeJs;
  }
}

let loading: Promise<void> | undefined;
function loadStripeJs(): Promise<void> {
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = "https://js.stripe.com/v3/";
    script.onload = () => resolve();
    script.onerror = () => reject(new Error("Stripe could not be loaded"));
    document.head.appendChild(script);
  });
  return loading;
}

/**
 * Stripe's Payment Element for a PaymentIntent the server created (with its amount): the card is
 * typed into Stripe's own frame, and Stripe brings the customer back to `returnUrl`.
 */
export function StripeCard({
  publishableKey,
  clientSecret,
  returnUrl,
}: {
  publishableKey: string;
  clientSecret: string;
  returnUrl: string;
}) {
  const mountRef = useRef<HTMLDivElement>(null);
  const [stripe, setStripe] = useState<{ js: StripeJs; elements: StripeElements } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { t } = useTranslation("checkout");

  useEffect(() => {
    let element: { destroy(): void } | undefined;
    loadStripeJs()
      .then(() => {
        if (!window.Stripe || !mountRef.current) return;
        const js = window.Stripe(publishableKey);
        const elements = js.elements({ clientSecret });
        const payment = elements.create("payment");
        payment.mount(mountRef.current);
        element = payment;
        setStripe({ js, elements });
      })
      .catch(() => setError(t("stripe.loadFailed")));
    return () => element?.destroy();
  }, [publishableKey, clientSecret, t]);

  return (
    <form
      className="stripe-card"
      onSubmit={async (event) => {
        event.preventDefault();
        if (!stripe) return;
        setBusy(true);
        const result = await stripe.js.confirmPayment({ elements: stripe.elements, confirmParams: { return_url: returnUrl } });
        setBusy(false);
        if (result.error) setError(result.error.message ?? t("stripe.notAccepted"));
      }}
    >
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div ref={mountRef} className="stripe-mount" />
      <div className="actions">
        <Button type="submit" busy={busy} disabled={!stripe}>
          {t("stripe.pay")}
        </Button>
      </div>
    </form>
  );
}
