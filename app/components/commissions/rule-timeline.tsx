import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button } from "~/components/ui/button";

/**
 * One product's commission rules at one frequency as a timeline, newest first: versions that
 * ended, the one in force, and those scheduled, which an admin may still change or cancel (a
 * version that has started is history). Each runs until the next one starts.
 */
export interface TimelineVersion {
  id: string;
  from: string;
  to: string | null;
  state: "ended" | "in_force" | "scheduled";
  tiers: { short: string; conditions: string[] }[];
}

const STATE_BADGES = { in_force: " badge-active", scheduled: " badge-pending", ended: "" } as const;

export function RuleTimeline({ versions, canEdit, frequency }: { versions: TimelineVersion[]; canEdit: boolean; frequency: string }) {
  const { t } = useTranslation("admin-network");
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">{t("timeline.title")}</h2>
      {versions.length === 0 ? (
        <p className="muted">{t("timeline.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("timeline.from")}</th>
                <th scope="col">{t("timeline.until")}</th>
                <th scope="col">{t("timeline.tiers")}</th>
                <th scope="col">{t("timeline.state")}</th>
                {canEdit ? (
                  <th scope="col">
                    <span className="visually-hidden">{t("actions")}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.id}>
                  <td data-label={t("timeline.from")}>{v.from}</td>
                  <td data-label={t("timeline.until")}>{v.to ?? <span className="muted">{t("timeline.untilChanged")}</span>}</td>
                  <td data-label={t("timeline.tiers")}>
                    <Tiers tiers={v.tiers} />
                  </td>
                  <td data-label={t("timeline.state")}>
                    <span className={`badge${STATE_BADGES[v.state]}`}>{t(`timeline.stateLabel.${v.state}`)}</span>
                  </td>
                  {canEdit ? (
                    <td data-label="">
                      {v.state === "scheduled" ? (
                        <div className="actions">
                          <Link to={`?frequency=${frequency}&change=${v.id}`} aria-label={t("timeline.changeLabel", { from: v.from })}>
                            {t("timeline.change")}
                          </Link>
                          <Form method="post">
                            <input type="hidden" name="intent" value="cancel" />
                            <input type="hidden" name="versionId" value={v.id} />
                            <Button type="submit" variant="ghost" aria-label={t("timeline.cancelLabel", { from: v.from })}>
                              {t("timeline.cancel")}
                            </Button>
                          </Form>
                        </div>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Tiers({ tiers }: { tiers: TimelineVersion["tiers"] }) {
  const { t } = useTranslation("admin-network");
  if (tiers.length === 0) return <span className="muted">{t("rules.noCommission")}</span>;
  const conditions = tiers.filter((tier) => tier.conditions.length);
  return (
    <span className="break">
      {tiers.map((tier) => tier.short).join(" · ")}
      {conditions.length ? (
        <>
          <br />
          <span className="muted small">
            {conditions.map((tier) => `${tier.short.split(" ")[0]}: ${tier.conditions.join(", ")}`).join("; ")}
          </span>
        </>
      ) : null}
    </span>
  );
}
