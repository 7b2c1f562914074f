import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Alert } from "~/components/ui/alert";
import { SalePayments } from "./payments-list";
import type { SaleStage } from "./stage";

/** The outcome of a sale: paid (the policy is issued) or cancelled. */
export function ClosedStep({ data }: { data: SaleStage<"closed"> }) {
  const { t } = useTranslation("agent");
  return (
    <>
      {data.paid ? (
        <Alert tone="success" title={t("sell.closed.paidTitle", { reference: data.reference })}>
          {t("sell.closed.paid", { name: data.memberName })}
        </Alert>
      ) : (
        <Alert tone="warning" title={t("sell.closed.cancelledTitle", { reference: data.reference })} />
      )}
      <SalePayments payments={data.payments} />
      <p>
        <Link to={`/agent/members/${data.memberId}`}>{t("sell.closed.back", { name: data.memberName })}</Link>
      </p>
    </>
  );
}
