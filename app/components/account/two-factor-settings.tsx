import { Form, Link, useNavigation } from "@remix-run/react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, useErrorText } from "~/components/ui/field";
import type { TwoFactorIntent, TwoFactorReply } from "~/modules/auth/two-factor-schemas";
import { Trans, useTranslation } from "react-i18next";

/**
 * The two-factor settings of one account (decision 033), the same for a customer, staff and an
 * operator: set up with a QR code or the key typed by hand, confirm with a first code, keep the
 * recovery codes (shown once), make new ones, turn it off. Plain forms: works without JavaScript.
 */
export interface TwoFactorView {
  enabled: boolean;
  setup: { qr: string; secret: string } | null;
  codesLeft: number;
  /** The agency or platform requires it and this account has not set it up. */
  required: boolean;
  /** Just signed in with a recovery code and this many are left. */
  codesLeftNotice: number | null;
  turnedOff: boolean;
  /** Where this page is, for the "I have saved them" link. */
  path: string;
  /** The product name in the downloaded file, e.g. the agency's. */
  issuer: string;
}

const FEW = 3;

export function TwoFactorSettings({ view, reply }: { view: TwoFactorView; reply?: TwoFactorReply }) {
  const { t } = useTranslation("account");
  const errorText = useErrorText();
  const busy = useNavigation().state === "submitting";
  const errorsFor = (intent: TwoFactorIntent, field: string) => (reply?.intent === intent ? reply.errors?.[field] : undefined);
  const formError = reply?.errors?.form;

  if (reply?.recoveryCodes) return <RecoveryCodes codes={reply.recoveryCodes} path={view.path} issuer={view.issuer} />;

  return (
    <div className="stack">
      {view.required ? (
        <Alert tone="warning" title={t("twoFactor.requiredTitle")}>
          {t("twoFactor.required")}
        </Alert>
      ) : null}
      {view.turnedOff ? (
        <Alert tone="success" title={t("twoFactor.offTitle")}>
          {t("twoFactor.turnedOff")}
        </Alert>
      ) : null}
      {view.codesLeftNotice !== null ? (
        <Alert tone="warning" title={t("twoFactor.codesLeftTitle", { count: view.codesLeftNotice })}>
          {t("twoFactor.usedRecovery")}
        </Alert>
      ) : null}
      {formError ? <Alert tone="error">{errorText(formError)}</Alert> : null}

      {view.enabled ? (
        <>
          <div className="card stack">
            <h2>{t("twoFactor.onTitle")}</h2>
            <p>{t("twoFactor.on")}</p>
            <p className={view.codesLeft <= FEW ? "field-error" : "muted"}>
              {t("twoFactor.codesLeft", { count: view.codesLeft })}
              {view.codesLeft <= FEW ? ` ${t("twoFactor.makeSoon")}` : ""}
            </p>
          </div>
          <Form method="post" className="card stack">
            <h2>{t("twoFactor.newCodesTitle")}</h2>
            <p className="muted">{t("twoFactor.newCodes")}</p>
            <input type="hidden" name="intent" value="regenerate" />
            <Field
              id="regenerate-code"
              name="code"
              label={t("twoFactor.appCode")}
              inputMode="numeric"
              autoComplete="one-time-code"
              errors={errorsFor("regenerate", "code")}
            />
            <div className="actions">
              <Button type="submit" variant="secondary" busy={busy}>
                {t("twoFactor.makeCodes")}
              </Button>
            </div>
          </Form>
          <Form method="post" className="card stack">
            <h2>{t("twoFactor.turnOffTitle")}</h2>
            <input type="hidden" name="intent" value="disable" />
            <Field
              id="disable-code"
              name="code"
              label={t("twoFactor.appOrRecoveryCode")}
              autoComplete="one-time-code"
              errors={errorsFor("disable", "code")}
            />
            <Field
              id="disable-password"
              name="password"
              type="password"
              label={t("twoFactor.password")}
              autoComplete="current-password"
              errors={errorsFor("disable", "password")}
            />
            <div className="actions">
              <Button type="submit" variant="danger" busy={busy}>
                {t("twoFactor.turnOff")}
              </Button>
            </div>
          </Form>
        </>
      ) : view.setup ? (
        <>
          <div className="card stack">
            <h2>{t("twoFactor.step1")}</h2>
            <p>{t("twoFactor.scan")}</p>
            <img src={view.setup.qr} alt={t("twoFactor.qrAlt")} width={200} height={200} />
            <p>
              {t("twoFactor.cannotScan")}{" "}
              <code className="two-factor-secret" data-testid="two-factor-secret">
                {view.setup.secret}
              </code>
            </p>
          </div>
          <Form method="post" className="card stack">
            <h2>{t("twoFactor.step2")}</h2>
            <input type="hidden" name="intent" value="confirm" />
            <Field
              id="confirm-code"
              name="code"
              label={t("twoFactor.sixDigits")}
              inputMode="numeric"
              autoComplete="one-time-code"
              errors={errorsFor("confirm", "code")}
            />
            <div className="actions">
              <Button type="submit" busy={busy}>
                {t("twoFactor.turnOn")}
              </Button>
            </div>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="start" />
            <Button type="submit" variant="ghost" busy={busy}>
              {t("twoFactor.startAgain")}
            </Button>
          </Form>
        </>
      ) : (
        <Form method="post" className="card stack">
          <h2>{t("twoFactor.offTitle")}</h2>
          <p>{t("twoFactor.offText")}</p>
          <input type="hidden" name="intent" value="start" />
          <div className="actions">
            <Button type="submit" busy={busy}>
              {t("twoFactor.setUp")}
            </Button>
          </div>
        </Form>
      )}
    </div>
  );
}

function RecoveryCodes({ codes, path, issuer }: { codes: string[]; path: string; issuer: string }) {
  const { t } = useTranslation("account");
  const file = [t("twoFactor.fileTitle", { issuer }), t("twoFactor.fileText"), "", ...codes, ""].join("\n");
  return (
    <div className="card stack">
      <h2>{t("twoFactor.saveTitle")}</h2>
      <p>
        <Trans t={t} i18nKey="twoFactor.save" components={{ strong: <strong /> }} />
      </p>
      <ul className="recovery-codes" aria-label={t("twoFactor.codesLabel")}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="actions">
        <a className="btn btn-secondary" href={`data:text/plain;charset=utf-8,${encodeURIComponent(file)}`} download="recovery-codes.txt">
          {t("twoFactor.download")}
        </a>
        <Link className="btn btn-primary" to={path}>
          {t("twoFactor.saved")}
        </Link>
      </div>
    </div>
  );
}

/** An agency's or the platform's one switch: require two-factor sign-in of its people. */
export function RequireTwoFactorForm({ checked, label, hint, saved }: { checked: boolean; label: string; hint: string; saved: boolean }) {
  const { t } = useTranslation("account");
  const busy = useNavigation().state === "submitting";
  return (
    <Form method="post" className="card stack">
      {saved ? <Alert tone="success" title={t("twoFactor.savedNotice")} /> : null}
      <div className="field">
        <div className="checkbox">
          <input type="checkbox" id="required" name="required" defaultChecked={checked} aria-describedby="required-hint" />
          <label htmlFor="required">{label}</label>
        </div>
        <p className="field-hint" id="required-hint">
          {hint}
        </p>
      </div>
      <div>
        <Button type="submit" busy={busy}>
          {t("paymentMethods.save")}
        </Button>
      </div>
    </Form>
  );
}
