import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import type { MessageCategory } from "~db/schema";
import { AccountNav } from "~/components/account/account-nav";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { lineText } from "~/lib/text";
import { requirePermission, requireUser } from "~/modules/auth/guards.server";
import {
  alwaysSentEvents,
  audiencesOf,
  PREFERENCE_CHANNELS,
  preferencesOf,
  savePreferences,
  switchableCategories,
  type PreferenceChannel,
  type Preferences,
} from "~/modules/notifications/preferences.server";

/**
 * /account/notifications — what this person receives, per category and channel (decision 042):
 * customers, members, agents and staff alike, each seeing the categories of the events meant for
 * them. Transactional messages are listed as always sent.
 */
const fieldName = (category: string, channel: string) => `${category}.${channel}`;

// A ticked box sends "on"; an unticked one sends nothing, which is "off".
const preferencesSchema = (categories: readonly MessageCategory[]) =>
  z.object(
    Object.fromEntries(
      categories.flatMap((category) => PREFERENCE_CHANNELS.map((channel) => [fieldName(category, channel), lineText().optional()])),
    ),
  );

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const audiences = audiencesOf(user.roles);
  const categories = switchableCategories(audiences);
  const prefs = await withTenant(tenant.id, (db) => preferencesOf(db, user.id, categories));
  return json({
    categories: categories.map((category) => ({ category, switches: prefs[category]! })),
    // From the loader: the list lives in a .server module, which the browser bundle does not have.
    channels: PREFERENCE_CHANNELS,
    always: alwaysSentEvents(audiences),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "update:account:own");
  const categories = switchableCategories(audiencesOf(user.roles));
  const parsed = preferencesSchema(categories).safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return json({ error: "formError" as const }, { status: 400 });
  const prefs: Preferences = Object.fromEntries(
    categories.map((category) => [
      category,
      Object.fromEntries(PREFERENCE_CHANNELS.map((channel) => [channel, Boolean(parsed.data[fieldName(category, channel)])])),
    ]),
  );
  await withTenant(tenant.id, (db) => savePreferences(db, user.id, prefs));
  return redirect("/account/notifications?saved=1");
}

export default function NotificationPreferences() {
  const { categories, channels, always } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const { t } = useTranslation("notifications");
  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>{t("preferences.title")}</h1>
          <p className="muted">{t("preferences.intro")}</p>
        </div>
      </div>
      <AccountNav />
      {params.get("saved") && !actionData ? <Alert tone="success">{t("preferences.saved")}</Alert> : null}
      {actionData?.error ? <Alert tone="error">{t("preferences.formError")}</Alert> : null}
      <Form method="post" className="card stack">
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">{t("preferences.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("preferences.category")}</th>
                {channels.map((channel) => (
                  <th key={channel} scope="col">
                    {t(`preferences.channel.${channel}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {categories.map(({ category, switches }) => {
                const label = t(`categories.${category}.label`);
                return (
                  <tr key={category}>
                    <th scope="row" data-label={t("preferences.category")}>
                      {label}
                      <br />
                      <span className="muted">{t(`categories.${category}.hint`)}</span>
                    </th>
                    {channels.map((channel: PreferenceChannel) => (
                      <td key={channel} data-label={t(`preferences.channel.${channel}`)}>
                        <span className="checkbox">
                          <input
                            type="checkbox"
                            id={`${category}-${channel}`}
                            name={fieldName(category, channel)}
                            defaultChecked={switches[channel]}
                          />
                          <label htmlFor={`${category}-${channel}`}>
                            <span className="visually-hidden">{t(`preferences.switch.${channel}`, { category: label })}</span>
                            <span aria-hidden="true">{t("preferences.on")}</span>
                          </label>
                        </span>
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <div className="actions">
          <Button type="submit" busy={navigation.state === "submitting"}>
            {t("preferences.save")}
          </Button>
        </div>
      </Form>
      {always.length > 0 ? (
        <section className="card stack" aria-labelledby="always-sent">
          <h2 id="always-sent">{t("preferences.alwaysTitle")}</h2>
          <p className="muted">{t("preferences.alwaysHint")}</p>
          <ul>
            {always.map((e) => (
              <li key={e.event}>{e.label}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Notifications");
