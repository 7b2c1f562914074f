import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button } from "~/components/ui/button";
import type { RuleEditorData } from "~/modules/commissions/rule-editor.server";

/**
 * One product's commission rules at one frequency as a history, newest first: each version with
 * when it runs, its state (ended, in force, scheduled), who saved it when and what it changed
 * against the version before; then the scheduled versions withdrawn before they started, with who
 * did it when. A scheduled version can still be changed or cancelled; one that has started is
 * history. A list of cards rather than a table, so it reads on a phone.
 */

const STATE_BADGES = { in_force: " badge-active", scheduled: " badge-pending", ended: "" } as const;

type Version = RuleEditorData["versions"][number];

export function RuleHistory({ data }: { data: RuleEditorData }) {
  const { t } = useTranslation("admin-network");
  return (
    <section className="card stack" aria-labelledby="history-title">
      <h2 id="history-title">{t("timeline.title")}</h2>
      {data.versions.length === 0 ? (
        <p className="muted">{t("timeline.none")}</p>
      ) : (
        <ol className="plain-list stack rule-history">
          {data.versions.map((v) => (
            <VersionEntry key={v.id} version={v} canEdit={data.canEdit} frequency={data.frequency} />
          ))}
        </ol>
      )}
      {data.withdrawals.length ? (
        <div className="stack">
          <h3 className="small">{t("history.withdrawnTitle")}</h3>
          <ul className="plain-list">
            {data.withdrawals.map((w, i) => (
              <li key={i} className="small">
                {t(w.how === "cancelled" ? "history.cancelledBy" : "history.replacedBy", {
                  from: w.from,
                  name: w.by ?? t("history.someone"),
                  at: w.at,
                })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

function VersionEntry({ version: v, canEdit, frequency }: { version: Version; canEdit: boolean; frequency: string }) {
  const { t } = useTranslation("admin-network");
  return (
    <li className="stack">
      <h3 className="small">{v.to ? t("history.span", { from: v.from, to: v.to }) : t("history.spanOpen", { from: v.from })}</h3>
      <Tiers tiers={v.tiers} />
      <p className="small">
        <span className={`badge${STATE_BADGES[v.state]}`}>{t(`timeline.stateLabel.${v.state}`)}</span>{" "}
        <span className="muted">
          {v.savedBy ? t("history.savedBy", { name: v.savedBy, at: v.savedAt }) : t("history.savedAt", { at: v.savedAt })}
        </span>
      </p>
      {v.first ? (
        <p className="muted small">{t("history.first")}</p>
      ) : v.changes.length === 0 ? (
        <p className="muted small">{t("history.unchanged")}</p>
      ) : (
        <ul className="small" aria-label={t("history.changesLabel", { from: v.from })}>
          {v.changes.map((c, i) => (
            <li key={i}>
              {c.what === "added"
                ? t("history.added", { tier: c.tier, after: c.after })
                : c.what === "removed"
                  ? t("history.removed", { tier: c.tier, before: c.before })
                  : t("history.changed", { tier: c.tier, what: t(`history.aspect.${c.what}`), before: c.before, after: c.after })}
            </li>
          ))}
        </ul>
      )}
      {canEdit && v.state === "scheduled" ? (
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
    </li>
  );
}

function Tiers({ tiers }: { tiers: Version["tiers"] }) {
  const { t } = useTranslation("admin-network");
  if (tiers.length === 0) return <p className="muted">{t("rules.noCommission")}</p>;
  const conditions = tiers.filter((tier) => tier.conditions.length);
  return (
    <p className="break">
      {tiers.map((tier) => tier.short).join(" · ")}
      {conditions.length ? (
        <>
          <br />
          <span className="muted small">
            {conditions.map((tier) => `${tier.short.split(" ")[0]}: ${tier.conditions.join(", ")}`).join("; ")}
          </span>
        </>
      ) : null}
    </p>
  );
}
