import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SelectField, TextareaField } from "~/components/console/fields";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { broadcastChoices } from "~/modules/notifications/broadcasts-segments.server";
import { BROADCAST_CHANNELS, broadcastFormSchema, createBroadcast, segmentOfForm } from "~/modules/notifications/broadcasts.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "send:broadcast:any");
  const choices = await withTenant(tenant.id, (db) => broadcastChoices(db));
  const t = await serverT(tenant.language, "admin-messages");
  return json({
    ...choices,
    title: t("compose.title"),
    ranks: choices.ranks.map((r) => ({ ...r, name: t(`rank.${r.id}`, { defaultValue: r.name }) })),
  });
}

/** Writes a draft and shows its preview: nothing is sent from this page. */
export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "send:broadcast:any");
  const form = await readForm(request);
  // An empty optional field is absent; an empty title or message is said to be missing.
  const values = Object.fromEntries(
    [...form.entries()].filter(([key, v]) => typeof v === "string" && (v.trim() !== "" || key === "title" || key === "body")),
  );
  const parsed = broadcastFormSchema.safeParse(values);
  if (!parsed.success) return json({ errors: parsed.error.flatten().fieldErrors, values }, { status: 400 });
  const segment = segmentOfForm(parsed.data);
  if (!segment.success) return json({ errors: { segment: ["Choose who receives it"] }, values }, { status: 400 });
  const id = await withTenant(tenant.id, (db) =>
    createBroadcast(db, parsed.data, segment.data, { userId: user.id, ip: clientInfo(request).ip }),
  );
  return redirect(`/admin/messages/broadcasts/${id}`);
}

export default function NewBroadcast() {
  const { products, agents, ranks } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors: Record<string, string[] | undefined> = data?.errors ?? {};
  const values: Record<string, unknown> = data?.values ?? {};
  const value = (key: string) => (typeof values[key] === "string" ? (values[key] as string) : undefined);
  const { t } = useTranslation("admin-messages");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("compose.title")}</h1>
          <p className="muted">{t("compose.intro")}</p>
        </div>
        <Link to="/admin/messages/broadcasts">{t("broadcasts.all")}</Link>
      </div>
      <Form method="post" className="card stack" noValidate>
        <FormErrors errors={data ? [t("compose.checkFields")] : undefined} />
        <Field
          id="broadcast-title"
          name="title"
          label={t("compose.titleLabel")}
          hint={t("compose.titleHint")}
          defaultValue={value("title")}
          errors={errors.title}
        />
        <SelectField
          id="broadcast-channel"
          name="channel"
          label={t("templates.channel")}
          defaultValue={value("channel") ?? "email"}
          choices={BROADCAST_CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
          errors={errors.channel}
        />
        <Field
          id="broadcast-subject"
          name="subject"
          label={t("log.subject")}
          hint={t("compose.subjectHint")}
          defaultValue={value("subject")}
          errors={errors.subject}
        />
        <TextareaField
          id="broadcast-body"
          name="body"
          label={t("templates.message")}
          rows={8}
          hint={t("compose.bodyHint", { name: "{{name}}", tenantName: "{{tenantName}}" })}
          defaultValue={value("body")}
          errors={errors.body}
        />
        <fieldset className="stack">
          <legend>{t("compose.who")}</legend>
          <SelectField
            id="broadcast-segment"
            name="segment"
            label={t("compose.segment")}
            defaultValue={value("segment") ?? "customers"}
            choices={[
              { value: "customers", label: t("compose.segmentCustomers") },
              { value: "product_customers", label: t("compose.segmentProduct") },
              { value: "agents_of_rank", label: t("compose.segmentRank") },
              { value: "agent_members", label: t("compose.segmentAgent") },
            ]}
            errors={errors.segment}
          />
          <SelectField
            id="broadcast-product"
            name="productId"
            label={t("compose.product")}
            hint={t("compose.productHint")}
            placeholder={t("compose.productChoose")}
            defaultValue={value("productId") ?? ""}
            choices={products.map((p) => ({ value: p.id, label: p.name }))}
            errors={errors.productId}
          />
          {ranks.length > 0 && agents.length > 0 ? (
            <>
              <SelectField
                id="broadcast-rank"
                name="rank"
                label={t("compose.rank")}
                hint={t("compose.rankHint")}
                placeholder={t("compose.rankChoose")}
                defaultValue={value("rank") ?? ""}
                choices={ranks.map((r) => ({ value: r.id, label: r.name }))}
                errors={errors.rank}
              />
              <SelectField
                id="broadcast-agent"
                name="agentId"
                label={t("compose.agent")}
                hint={t("compose.agentHint")}
                placeholder={t("compose.agentChoose")}
                defaultValue={value("agentId") ?? ""}
                choices={agents.map((a) => ({ value: a.id, label: `${a.name} (${a.agentNumber})` }))}
                errors={errors.agentId}
              />
            </>
          ) : null}
        </fieldset>
        <div className="actions">
          <Button type="submit">{t("editor.preview")}</Button>
        </div>
      </Form>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "New broadcast");
