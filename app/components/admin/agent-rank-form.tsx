import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, Link, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SelectField, selectProps } from "~/components/console/fields";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { agentRankSchema } from "~/modules/commissions/bonus-forms";

/** The agency rank an agent holds (decision 048): who a team bonus pays at the close. */
export function AgentRankForm({
  ranks,
  rankId,
  canManage,
  lastResult,
}: {
  ranks: { id: string; name: string }[];
  rankId: string | null;
  canManage: boolean;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const { t } = useTranslation("admin-network");
  const busy = useNavigation().formData?.get("intent") === "rank";
  const [form, fields] = useForm({
    id: "agent-rank",
    lastResult,
    defaultValue: { rankId: rankId ?? "" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: agentRankSchema }),
  });
  const current = ranks.find((r) => r.id === rankId)?.name ?? t("agent.rank.none");
  return (
    <section className="card stack" aria-labelledby="rank-title">
      <h2 id="rank-title">{t("agent.rank.title")}</h2>
      <p className="muted">{t("agent.rank.intro", { rank: current })}</p>
      {ranks.length === 0 ? (
        <p className="muted">
          {t("agent.rank.empty")} <Link to="/admin/commissions/bonuses">{t("agent.rank.define")}</Link>
        </p>
      ) : canManage ? (
        <Form method="post" className="stack form-narrow" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="rank" />
          <FormErrors errors={form.errors} />
          <SelectField
            label={t("agent.rank.label")}
            choices={ranks.map((r) => ({ value: r.id, label: r.name }))}
            placeholder={t("agent.rank.none")}
            {...selectProps(fields.rankId)}
          />
          <div>
            <Button type="submit" variant="secondary" busy={busy}>
              {t("agent.rank.save")}
            </Button>
          </div>
        </Form>
      ) : null}
    </section>
  );
}
