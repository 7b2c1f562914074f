import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { formatMoney } from "~/lib/money";
import { splitSale, type TierRule } from "~/modules/commissions/calculate";
import type { Frequency } from "~/modules/rating/rules";

/**
 * "A RM 150.00 monthly Hibah Senior Care Gold 270 sale pays T1 RM 16.67, T2 RM 3.33, …": what one
 * sale earns each tier, in the page's language (`t` of the admin-network namespace). Computed with
 * the engine's own `splitSale` (pure, browser-safe), so the sentence the server renders and the one
 * the browser updates while an admin types agree with what the ledger writes.
 */
export function saleSentence(
  input: {
    rules: readonly (TierRule | null)[];
    baseMinor: number;
    productName: string;
    frequency: Frequency;
    currency: string;
    locale: string;
  },
  t: TFunction,
): { sentence: string; totalMinor: number; complete: boolean } {
  const money = (minor: number) => formatMoney(minor, input.currency, input.locale);
  const sale = { amount: money(input.baseMinor), frequency: t(`frequencyAdjective.${input.frequency}`), product: input.productName };
  const valid = input.rules.filter((r): r is TierRule => r !== null);
  if (input.rules.length === 0) return { sentence: t("sale.none", sale), totalMinor: 0, complete: true };
  const split = splitSale(valid, input.baseMinor);
  const parts = input.rules.map((rule, i) =>
    rule ? `T${rule.tier} ${money(split.find((s) => s.tier === rule.tier)?.amountMinor ?? 0)}` : `T${i + 1} ?`,
  );
  const totalMinor = split.reduce((n, s) => n + s.amountMinor, 0);
  return { sentence: t("sale.pays", { ...sale, parts: parts.join(", ") }), totalMinor, complete: valid.length === input.rules.length };
}

export function SalePreview(props: Parameters<typeof saleSentence>[0] & { id?: string; live?: boolean }) {
  const { t } = useTranslation("admin-network");
  const { sentence, totalMinor, complete } = saleSentence(props, t);
  return (
    <div className="sale-preview" id={props.id} aria-live={props.live ? "polite" : undefined}>
      <p className="sale-preview-sentence">{sentence}</p>
      {props.rules.length > 0 ? (
        <p className="muted small">
          {complete ? t("sale.total", { total: formatMoney(totalMinor, props.currency, props.locale) }) : t("sale.incomplete")}
        </p>
      ) : null}
    </div>
  );
}
