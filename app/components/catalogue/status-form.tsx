// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { Button } from "~/components/ui/button";

/**
 * Activate or deactivate an insurer, category or product: one button posting its intent. Both
 * directions are safe and reversible (nothing is deleted), so no confirmation step.
 */
export function StatusForm({
  active,
  what,
  children,
  canManage,
}: {
  active: boolean;
  what: string;
  children: ReactNode;
  canManage: boolean;
}) {
  const navigation = useNavigation();
  const intent = active ? "deactivate" : "activate";
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  return (
    <section className="card" aria-labelledby="status-title">
      <h2 id="status-title">
        Status {active ? <span className="badge badge-active">Active</span> : <span className="badge badge-suspended">Inactive</span>}
      </h2>
      <div className="muted">{children}</div>
      {canManage ? (
        <Form method="post" className="actions status-actions">
          <input type="hidden" name="intent" value={intent} />
          <Button type="submit" variant={active ? "danger" : "primary"} busy={busy}>
            {active ? `Deactivate this ${what}` : `Activate this ${what}`}
          </Button>
        </Form>
      ) : null}
    </section>
  );
}
