import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { withPlatform } from "~/lib/db.server";
import { CheckboxField, SelectField, selectProps } from "~/components/console/fields";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps } from "~/components/ui/field";
import { pageTitle } from "~/lib/meta";
import { clientInfo } from "~/modules/auth/guards.server";
import { requireOperator } from "~/modules/platform/operators.server";
import { CURRENCY_CHOICES, LOCALE_CHOICES, onboardingSchema, TIME_ZONE_CHOICES } from "~/modules/platform/schemas";
import { storefrontOrigin, storefrontOrigins } from "~/modules/platform/storefront.server";
import { onboardTenant } from "~/modules/platform/tenants.server";
import { readForm } from "~/lib/forms";

// The schema is `onboardingSchema` (~/modules/platform/schemas): the browser checks as you type,
// the server decides, and the address being free is checked in the same transaction as the insert.

const SLUG_PLACEHOLDER = "your-agency";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOperator(request);
  // The storefront address around the slug, e.g. "http://" + slug + ".localhost:3000".
  const [prefix, suffix] = storefrontOrigin(request, SLUG_PLACEHOLDER).split(SLUG_PLACEHOLDER) as [string, string];
  const currencyNames = new Intl.DisplayNames(["en"], { type: "currency" });
  const regionNames = new Intl.DisplayNames(["en"], { type: "language" });
  return json({
    address: { prefix, suffix },
    currencies: CURRENCY_CHOICES.map((code) => ({ value: code, label: `${code} — ${currencyNames.of(code) ?? code}` })),
    locales: LOCALE_CHOICES.map((code) => ({ value: code, label: `${regionNames.of(code) ?? code} (${code})` })),
    timeZones: TIME_ZONE_CHOICES.map((zone) => ({ value: zone, label: `${zone.replace(/_/g, " ")} (${utcOffset(zone)})` })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const operator = await requireOperator(request);
  const submission = parseWithZod(await readForm(request), { schema: onboardingSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const actor = { operatorId: operator.id, ip: clientInfo(request).ip };
  const result = await withPlatform((db) => onboardTenant(db, submission.value, actor, storefrontOrigins(request)));
  if (!result.ok) return json(submission.reply({ fieldErrors: result.errors }), { status: 400 });
  return redirect(`/console/tenants/${result.tenantId}?notice=onboarded`);
}

export default function OnboardAgency() {
  const { address, currencies, locales, timeZones } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { currency: "KES", locale: "en-KE", timeZone: "Africa/Nairobi", marketplace: true, agentNetwork: false },
    constraint: getZodConstraint(onboardingSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: onboardingSchema }),
  });
  const [slug, setSlug] = useState(typeof fields.slug.initialValue === "string" ? fields.slug.initialValue : "");
  const shownSlug = slug.trim().toLowerCase() || SLUG_PLACEHOLDER;
  return (
    <section className="console-form">
      <p className="breadcrumbs">
        <Link to="/console">Agencies</Link> / Onboard
      </p>
      <h1>Onboard an agency</h1>
      <p className="muted">
        The agency gets its own storefront address right away. Its first administrator receives an email invitation to set a password.
      </p>
      <Form method="post" className="card" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <fieldset>
          <legend>The agency</legend>
          <Field label="Agency name" {...inputProps(fields.name, { type: "text" })} autoComplete="organization" />
          <Field
            label="Web address"
            {...inputProps(fields.slug, { type: "text" })}
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            onChange={(e) => setSlug(e.currentTarget.value)}
            hint={
              <>
                3–40 lowercase letters, digits or dashes. The storefront will answer at{" "}
                <strong className="address-preview">
                  {address.prefix}
                  <mark>{shownSlug}</mark>
                  {address.suffix}
                </strong>
              </>
            }
          />
        </fieldset>
        <fieldset>
          <legend>Money, language and time</legend>
          <div className="form-grid two">
            <SelectField label="Currency" choices={currencies} {...selectProps(fields.currency)} />
            <SelectField label="Language and region" choices={locales} {...selectProps(fields.locale)} />
          </div>
          <SelectField
            label="Time zone"
            choices={timeZones}
            hint="Dates, due dates and monthly commissions follow this zone."
            {...selectProps(fields.timeZone)}
          />
        </fieldset>
        <fieldset>
          <legend>Features</legend>
          <CheckboxField
            id={fields.marketplace.id}
            name={fields.marketplace.name}
            defaultChecked={fields.marketplace.initialValue === "on"}
            label="Marketplace"
            hint="Customers compare and buy cover online from the storefront."
          />
          <CheckboxField
            id={fields.agentNetwork.id}
            name={fields.agentNetwork.name}
            defaultChecked={fields.agentNetwork.initialValue === "on"}
            label="Agent network"
            hint="Field agents sell on the agency's behalf and earn commissions."
          />
        </fieldset>
        <fieldset>
          <legend>First administrator</legend>
          <div className="form-grid two">
            <Field label="Full name" {...inputProps(fields.adminName, { type: "text" })} autoComplete="off" />
            <Field
              label="Email"
              {...inputProps(fields.adminEmail, { type: "email" })}
              autoComplete="off"
              hint="The invitation to set a password goes here."
            />
          </div>
        </fieldset>
        <div className="actions">
          <Button type="submit" busy={navigation.state === "submitting"}>
            Onboard agency
          </Button>
          <Link to="/console" className="btn btn-secondary">
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}

/** "UTC+03:00" for a zone, today (zones with summer time show today's offset). */
function utcOffset(timeZone: string): string {
  const part = new Intl.DateTimeFormat("en", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(new Date())
    .find((p) => p.type === "timeZoneName");
  return part?.value.replace("GMT", "UTC") || "UTC";
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Onboard an agency");
