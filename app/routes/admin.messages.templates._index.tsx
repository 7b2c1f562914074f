import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LANGUAGE_NAMES } from "~/lib/languages";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { templateOverview } from "~/modules/notifications/template-editor.server";

/** /admin/messages/templates — every message the product sends, and where the agency uses its own wording. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "manage:messaging:any");
  const overview = await withTenant(tenant.id, (db) => templateOverview(db, tenant.languages));
  const t = await serverT(tenant.language, "admin-messages");
  // The catalogue's English (events.ts) is the source; the page shows it in the reader's language.
  const categories = overview.map((group) => ({
    ...group,
    label: t(`category.${group.category}`, { defaultValue: group.label }),
    events: group.events.map((event) => ({
      ...event,
      label: t(`events.${event.event}`, { defaultValue: event.label }),
      channels: event.channels.map((channel) => ({ ...channel, label: t(`channel.${channel.channel}`) })),
    })),
  }));
  return json({ title: t("templates.title"), categories, languageNames: LANGUAGE_NAMES });
}

export default function MessageTemplatesPage() {
  const { categories, languageNames } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin-messages");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("templates.title")}</h1>
          <p className="muted">{t("templates.intro")}</p>
        </div>
      </div>
      {categories.map((group) => (
        <section key={group.category} className="card stack" aria-labelledby={`templates-${group.category}`}>
          <h2 id={`templates-${group.category}`}>{group.label}</h2>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("templates.message")}</th>
                  <th scope="col">{t("templates.channel")}</th>
                  <th scope="col">{t("templates.wordingPerLanguage")}</th>
                </tr>
              </thead>
              <tbody>
                {group.events.flatMap((event) =>
                  event.channels.map((channel, index) => (
                    <tr key={`${event.event}/${channel.channel}`}>
                      <td data-label={t("templates.message")}>
                        {index === 0 ? event.label : <span className="visually-hidden">{event.label}</span>}
                      </td>
                      <td data-label={t("templates.channel")}>{channel.label}</td>
                      <td data-label={t("templates.wording")}>
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
                                {l.customised ? t("templates.customised") : t("templates.default")}
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Message templates");
