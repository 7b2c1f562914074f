import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button } from "~/components/ui/button";

export interface TemplateVersionRow {
  version: number;
  subject: string | null;
  body: string | null;
  reset: boolean;
  createdAt: string;
  /** In the agency's time zone. */
  when: string;
  author: string | null;
}

/** Every version, newest first, with who made it and when; any older one can be made current again. */
export function TemplateVersions({ versions, latest, busy }: { versions: TemplateVersionRow[]; latest: number; busy: boolean }) {
  const { t } = useTranslation("admin-messages");
  return (
    <section className="card stack" aria-labelledby="template-versions-title">
      <h2 id="template-versions-title">{t("versions.title")}</h2>
      {versions.length === 0 ? (
        <p className="muted">{t("versions.none")}</p>
      ) : (
        <ol className="template-versions" reversed>
          {versions.map((v) => (
            <li key={v.version} className="template-version">
              <p>
                <strong>{t("versions.version", { version: v.version })}</strong>
                {v.version === latest ? ` ${t("versions.inUse")}` : null} · {v.author ?? t("versions.unknown")} ·{" "}
                <time dateTime={v.createdAt}>{v.when}</time>
              </p>
              {v.reset ? (
                <p className="muted">{t("versions.reset")}</p>
              ) : (
                <details>
                  <summary>{t("versions.show")}</summary>
                  {v.subject ? <p className="template-default-subject">{v.subject}</p> : null}
                  <pre className="template-text">{v.body}</pre>
                </details>
              )}
              {v.version !== latest ? (
                <Form method="post">
                  <input type="hidden" name="expectedVersion" value={latest} />
                  <input type="hidden" name="version" value={v.version} />
                  <Button
                    type="submit"
                    name="intent"
                    value="restore"
                    variant="secondary"
                    busy={busy}
                    aria-label={t("versions.restoreLabel", { version: v.version })}
                  >
                    {t("versions.restore")}
                  </Button>
                </Form>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
