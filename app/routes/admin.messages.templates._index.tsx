// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { LANGUAGE_NAMES } from "~/lib/languages";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { requirePermission } from "~/modules/auth/guards.server";
import { templateOverview } from "~/modules/notifications/template-editor.server";

/** /admin/messages/templates — every message the product sends, and where the agency uses its own wording. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "manage:messaging:any");
  const categories = await withTenant(tenant.id, (db) => templateOverview(db, tenant.languages));
  return json({ categories, languageNames: LANGUAGE_NAMES });
}

export default function MessageTemplatesPage() {
  const { categories, languageNames } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Message templates</h1>
          <p className="muted">
            The wording of every message your agency sends, per channel and language. Each uses the default wording until you save your own;
            every version is kept.
          </p>
        </div>
      </div>
      {categories.map((group) => (
        <section key={group.category} className="card stack" aria-labelledby={`templates-${group.category}`}>
          <h2 id={`templates-${group.category}`}>{group.label}</h2>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Message</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Wording per language</th>
                </tr>
              </thead>
              <tbody>
                {group.events.flatMap((event) =>
                  event.channels.map((channel, index) => (
                    <tr key={`${event.event}/${channel.channel}`}>
                      <td data-label="Message">{index === 0 ? event.label : <span className="visually-hidden">{event.label}</span>}</td>
                      <td data-label="Channel">{channel.label}</td>
                      <td data-label="Wording">
                        <ul className="template-languages">
                          {channel.languages.map((l) => (
                            <li key={l.language}>
                              <Link to={`${event.event}/${channel.channel}/${l.language}`}>
                                {languageNames[l.language]}
                                <span className="visually-hidden">
                                  {" "}
                                  — {event.label}, {channel.label}
                                </span>
                              </Link>{" "}
                              <span className={l.customised ? "badge badge-active" : "badge"}>
                                {l.customised ? "customised" : "default"}
                              </span>
                            </li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Message templates");
