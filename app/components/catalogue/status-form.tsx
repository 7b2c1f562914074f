import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "~/components/ui/button";

/** What a status form switches on and off (each names its own button). */
export type StatusSubject = "insurer" | "category" | "product" | "facility";

/**
 * Activate or deactivate an insurer, category, product or facility: one button posting its intent.
 * Both directions are safe and reversible (nothing is deleted), so no confirmation step.
 */
export function StatusForm({
  active,
  what,
  children,
  canManage,
}: {
  active: boolean;
  what: StatusSubject;
  children: ReactNode;
  canManage: boolean;
}) {
  const navigation = useNavigation();
  const { t } = useTranslation("admin-catalogue");
  const intent = active ? "deactivate" : "activate";
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  return (
    <section className="card" aria-labelledby="status-title">
      <h2 id="status-title">
        {t("status.title")}{" "}
        {active ? (
          <span className="badge badge-active">{t("status.active")}</span>
        ) : (
          <span className="badge badge-suspended">{t("status.inactive")}</span>
        )}
      </h2>
      <div className="muted">{children}</div>
      {canManage ? (
        <Form method="post" className="actions status-actions">
          <input type="hidden" name="intent" value={intent} />
          <Button type="submit" variant={active ? "danger" : "primary"} busy={busy}>
            {t(`status.${intent}.${what}`)}
          </Button>
        </Form>
      ) : null}
    </section>
  );
}
