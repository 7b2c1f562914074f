import { useTranslation } from "react-i18next";
/**
 * Every version of the policy and every change of its status, newest first (decision 027: the
 * timeline a customer sees is versions plus state changes). Shared by the customer's policy page
 * and the back office's; the loader formats, this only lays out.
 */
export interface PolicyTimelineItem {
  key: string;
  /** The day it takes effect (a version) or happened (a status change), formatted. */
  when: string;
  title: string;
  detail: string | null;
  /** "Additional premium KES 1,234.00" / "Returned KES 500.00". */
  money: string | null;
  /** A version waiting for its payment. */
  pending: boolean;
  /** The version's certificate, a short-lived signed link; null when it has none. */
  certificateUrl: string | null;
}

export function PolicyTimeline({ items, heading }: { items: PolicyTimelineItem[]; heading?: string }) {
  const { t } = useTranslation("policy");
  return (
    <section className="card" aria-labelledby="policy-timeline-title">
      <h2 id="policy-timeline-title">{heading ?? t("timeline.title")}</h2>
      {items.length === 0 ? (
        <p className="muted">{t("timeline.empty")}</p>
      ) : (
        <ol className="activity policy-timeline">
          {items.map((item) => (
            <li key={item.key}>
              <span className="muted">{item.when}</span>
              <span>
                <strong>{item.title}</strong>
                {item.pending ? (
                  <>
                    {" "}
                    <span className="badge badge-pending">{t("timeline.awaitingPayment")}</span>
                  </>
                ) : null}
                {item.detail ? <span> — {item.detail}</span> : null}
                {item.money ? <span className="muted"> · {item.money}</span> : null}
                {item.certificateUrl ? (
                  <>
                    {" "}
                    <a href={item.certificateUrl} download>
                      {t("timeline.certificate")}
                    </a>
                  </>
                ) : null}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
