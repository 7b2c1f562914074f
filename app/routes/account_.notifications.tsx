import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { AccountNav } from "~/components/account/account-nav";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { lineText } from "~/lib/text";
import { requirePermission, requireUser } from "~/modules/auth/guards.server";
import { NOTIFICATION_TOPICS } from "~/modules/notifications/email.server";
import {
  NOTIFICATION_CHANNELS,
  preferencesOf,
  savePreferences,
  TOPIC_LABELS,
  type Preferences,
} from "~/modules/notifications/preferences.server";

const fieldName = (topic: string, channel: string) => `${topic}.${channel}`;

// A ticked box sends "on"; an unticked one sends nothing, which is "off". Built on the server only:
// the topics come from a .server module, which the browser bundle does not have.
const preferencesSchema = () =>
  z.object(
    Object.fromEntries(
      NOTIFICATION_TOPICS.flatMap((topic) => NOTIFICATION_CHANNELS.map((channel) => [fieldName(topic, channel), lineText().optional()])),
    ),
  );

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const prefs = await withTenant(tenant.id, (db) => preferencesOf(db, user.id));
  return json({
    topics: NOTIFICATION_TOPICS.map((topic) => ({ topic, ...TOPIC_LABELS[topic], channels: prefs[topic] })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "update:account:own");
  const parsed = preferencesSchema().safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return json({ error: "We did not understand that form. Reload the page and try again." }, { status: 400 });
  const prefs = Object.fromEntries(
    NOTIFICATION_TOPICS.map((topic) => [
      topic,
      Object.fromEntries(NOTIFICATION_CHANNELS.map((channel) => [channel, Boolean(parsed.data[fieldName(topic, channel)])])),
    ]),
  ) as Preferences;
  await withTenant(tenant.id, (db) => savePreferences(db, user.id, prefs));
  return redirect("/account/notifications?saved=1");
}

export default function NotificationPreferences() {
  const { topics } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>Notifications</h1>
          <p className="muted">
            Choose what we send you by email and by text message. Messages about your sign-in and account security always go.
          </p>
        </div>
      </div>
      <AccountNav />
      {params.get("saved") ? <Alert tone="success">Your notification choices are saved.</Alert> : null}
      <Form method="post" className="card stack">
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">Notifications by topic and channel</caption>
            <thead>
              <tr>
                <th scope="col">Topic</th>
                <th scope="col">Email</th>
                <th scope="col">Text message</th>
              </tr>
            </thead>
            <tbody>
              {topics.map((t) => (
                <tr key={t.topic}>
                  <th scope="row" data-label="Topic">
                    {t.label}
                    <br />
                    <span className="muted">{t.hint}</span>
                  </th>
                  {(["email", "sms"] as const).map((channel) => (
                    <td key={channel} data-label={channel === "email" ? "Email" : "Text message"}>
                      <span className="checkbox">
                        <input
                          type="checkbox"
                          id={`${t.topic}-${channel}`}
                          name={fieldName(t.topic, channel)}
                          defaultChecked={t.channels[channel]}
                        />
                        <label htmlFor={`${t.topic}-${channel}`}>
                          <span className="visually-hidden">
                            {t.label} by {channel === "email" ? "email" : "text message"}
                          </span>
                          <span aria-hidden="true">On</span>
                        </label>
                      </span>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="actions">
          <Button type="submit" busy={navigation.state === "submitting"}>
            Save my choices
          </Button>
        </div>
      </Form>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Notifications");
