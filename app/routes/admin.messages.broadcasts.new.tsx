// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { SelectField, TextareaField } from "~/components/console/fields";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { CHANNEL_LABELS } from "~/components/admin/broadcast-labels";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { broadcastChoices } from "~/modules/notifications/broadcasts-segments.server";
import { BROADCAST_CHANNELS, broadcastFormSchema, createBroadcast, segmentOfForm } from "~/modules/notifications/broadcasts.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "send:broadcast:any");
  return json(await withTenant(tenant.id, (db) => broadcastChoices(db)));
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
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>New broadcast</h1>
          <p className="muted">
            Write the message and choose who receives it. The next page shows how many people it reaches and what they see; nothing is sent
            until you confirm there.
          </p>
        </div>
        <Link to="/admin/messages/broadcasts">All broadcasts</Link>
      </div>
      <Form method="post" className="card stack" noValidate>
        <FormErrors errors={data ? ["Check the fields marked below."] : undefined} />
        <Field
          id="broadcast-title"
          name="title"
          label="Title"
          hint="For you: recipients do not see it."
          defaultValue={value("title")}
          errors={errors.title}
        />
        <SelectField
          id="broadcast-channel"
          name="channel"
          label="Channel"
          defaultValue={value("channel") ?? "email"}
          choices={BROADCAST_CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABELS[c]! }))}
          errors={errors.channel}
        />
        <Field
          id="broadcast-subject"
          name="subject"
          label="Subject"
          hint="Email subject, or the in-app heading. SMS and WhatsApp have none."
          defaultValue={value("subject")}
          errors={errors.subject}
        />
        <TextareaField
          id="broadcast-body"
          name="body"
          label="Message"
          rows={8}
          hint="Plain text. {{name}} is replaced by each recipient's name and {{tenantName}} by your agency's. In email, a paragraph that is only [Label](https://…) becomes a button."
          defaultValue={value("body")}
          errors={errors.body}
        />
        <fieldset className="stack">
          <legend>Who receives it</legend>
          <SelectField
            id="broadcast-segment"
            name="segment"
            label="Segment"
            defaultValue={value("segment") ?? "customers"}
            choices={[
              { value: "customers", label: "All customers" },
              { value: "product_customers", label: "Customers of a product (policies in force)" },
              { value: "agents_of_rank", label: "Agents of a rank" },
              { value: "agent_members", label: "Members of an agent" },
            ]}
            errors={errors.segment}
          />
          <SelectField
            id="broadcast-product"
            name="productId"
            label="Product"
            hint="For “Customers of a product”."
            placeholder="Choose a product"
            defaultValue={value("productId") ?? ""}
            choices={products.map((p) => ({ value: p.id, label: p.name }))}
            errors={errors.productId}
          />
          {ranks.length > 0 && agents.length > 0 ? (
            <>
              <SelectField
                id="broadcast-rank"
                name="rank"
                label="Rank"
                hint="For “Agents of a rank”: their rank on the ladder today."
                placeholder="Choose a rank"
                defaultValue={value("rank") ?? ""}
                choices={ranks.map((r) => ({ value: r.id, label: r.name }))}
                errors={errors.rank}
              />
              <SelectField
                id="broadcast-agent"
                name="agentId"
                label="Agent"
                hint="For “Members of an agent”."
                placeholder="Choose an agent"
                defaultValue={value("agentId") ?? ""}
                choices={agents.map((a) => ({ value: a.id, label: `${a.name} (${a.agentNumber})` }))}
                errors={errors.agentId}
              />
            </>
          ) : null}
        </fieldset>
        <div className="actions">
          <Button type="submit">Preview</Button>
        </div>
      </Form>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "New broadcast");
