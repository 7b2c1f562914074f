// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { Form } from "@remix-run/react";
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
  return (
    <section className="card stack" aria-labelledby="template-versions-title">
      <h2 id="template-versions-title">Versions</h2>
      {versions.length === 0 ? (
        <p className="muted">None yet: the default wording has always been used.</p>
      ) : (
        <ol className="template-versions" reversed>
          {versions.map((v) => (
            <li key={v.version} className="template-version">
              <p>
                <strong>Version {v.version}</strong>
                {v.version === latest ? " (in use)" : null} · {v.author ?? "Unknown"} · <time dateTime={v.createdAt}>{v.when}</time>
              </p>
              {v.reset ? (
                <p className="muted">Back to the default wording.</p>
              ) : (
                <details>
                  <summary>Show the wording</summary>
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
                    aria-label={`Restore version ${v.version}`}
                  >
                    Restore
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
