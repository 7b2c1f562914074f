import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { AccountNav } from "~/components/account/account-nav";
import { BeneficiariesFieldset } from "~/components/checkout/policy-details";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { lineText } from "~/lib/text";
import { beneficiaryPolicy, saveBeneficiaries } from "~/modules/account/beneficiaries.server";
import { requirePermission, requireUser } from "~/modules/auth/guards.server";
import { beneficiariesSchema, formatShare } from "~/modules/checkout/schemas";
import checkoutStyles from "~/styles/checkout.css";
import { useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: checkoutStyles }];

/** /account/beneficiaries/:policyId — change who receives a policy's benefit, shares summing to 100%. */

const schema = z.object({ beneficiaries: beneficiariesSchema });
const policyIdSchema = lineText().uuid();

async function policyFor(request: Request, policyId: string | undefined, write = false) {
  const { tenant, user } = write ? await requirePermission(request, "update:account:own") : await requireUser(request);
  const id = policyIdSchema.safeParse(policyId);
  // Another customer's policy, or one without beneficiaries, does not exist here.
  if (!id.success) throw new Response("Not found", { status: 404 });
  const policy = await withTenant(tenant.id, (db) => beneficiaryPolicy(db, user.id, id.data));
  if (!policy) throw new Response("Not found", { status: 404 });
  return { tenant, user, policy };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, policy } = await policyFor(request, params.policyId);
  const t = await serverT(tenant.language, "account");
  return json({
    title: t("beneficiaries.title"),
    policy: { id: policy.id, name: policy.productName, number: policy.policyNumber },
    defaults: {
      beneficiaries: policy.beneficiaries.map((b) => ({ name: b.name, relationship: b.relationship, share: formatShare(b.shareBp) })),
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user, policy } = await policyFor(request, params.policyId, true);
  const submission = parseWithZod(await readForm(request), { schema });
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const saved = await withTenant(tenant.id, (db) =>
    saveBeneficiaries(db, tenant, { userId: user.id, policyId: policy.id, beneficiaries: submission.value.beneficiaries }),
  );
  if (!saved.ok) return json({ result: submission.reply({ formErrors: [saved.message] }) }, { status: 409 });
  return redirect(`/account/beneficiaries/${policy.id}?saved=1`);
}

export default function EditBeneficiaries() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const lastResult = actionData?.result as SubmissionResult<string[]> | undefined;
  const [form] = useForm({
    id: "beneficiaries",
    lastResult,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  // After a refused save the page shows what was sent: nothing typed is lost.
  const values = (lastResult?.initialValue ?? data.defaults) as Record<string, unknown>;
  const [params] = useSearchParams();
  const { t } = useTranslation("account");
  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>{t("beneficiaries.of", { product: data.policy.name })}</h1>
          <p className="muted">
            {data.policy.number ? `${t("beneficiaries.policy", { number: data.policy.number })} ` : ""}
            <Link to="/account/beneficiaries">{t("beneficiaries.all")}</Link>
          </p>
        </div>
      </div>
      <AccountNav />
      {params.has("saved") && !actionData ? <Alert tone="success">{t("beneficiaries.saved")}</Alert> : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors errors={form.errors} />
        <BeneficiariesFieldset products={[data.policy.name]} values={values} errors={form.allErrors} />
        <div className="actions">
          <Button type="submit" busy={navigation.state === "submitting"}>
            {t("beneficiaries.save")}
          </Button>
        </div>
      </Form>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Beneficiaries");
