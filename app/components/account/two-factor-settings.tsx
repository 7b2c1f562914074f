// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { Form, Link, useNavigation } from "@remix-run/react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import type { TwoFactorIntent, TwoFactorReply } from "~/modules/auth/two-factor-schemas";

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
  const busy = useNavigation().state === "submitting";
  const errorsFor = (intent: TwoFactorIntent, field: string) => (reply?.intent === intent ? reply.errors?.[field] : undefined);
  const formError = reply?.errors?.form;

  if (reply?.recoveryCodes) return <RecoveryCodes codes={reply.recoveryCodes} path={view.path} issuer={view.issuer} />;

  return (
    <div className="stack">
      {view.required ? (
        <Alert tone="warning" title="Set up two-factor sign-in to continue">
          Your organisation requires a code from an authenticator app when you sign in. Set it up here; the rest of the site opens once it
          is on.
        </Alert>
      ) : null}
      {view.turnedOff ? (
        <Alert tone="success" title="Two-factor sign-in is off">
          Signing in now needs only your password.
        </Alert>
      ) : null}
      {view.codesLeftNotice !== null ? (
        <Alert tone="warning" title={`You have ${view.codesLeftNotice} recovery code${view.codesLeftNotice === 1 ? "" : "s"} left`}>
          You signed in with a recovery code, and it will not work again. Make new codes below while you still can.
        </Alert>
      ) : null}
      {formError ? <Alert tone="error">{formError.join(" ")}</Alert> : null}

      {view.enabled ? (
        <>
          <div className="card stack">
            <h2>Two-factor sign-in is on</h2>
            <p>Signing in asks for a code from your authenticator app after your password.</p>
            <p className={view.codesLeft <= FEW ? "field-error" : "muted"}>
              {view.codesLeft} of 10 recovery codes left.{view.codesLeft <= FEW ? " Make new ones soon." : ""}
            </p>
          </div>
          <Form method="post" className="card stack">
            <h2>New recovery codes</h2>
            <p className="muted">Your old recovery codes stop working and you get ten new ones.</p>
            <input type="hidden" name="intent" value="regenerate" />
            <Field
              id="regenerate-code"
              name="code"
              label="Code from your app"
              inputMode="numeric"
              autoComplete="one-time-code"
              errors={errorsFor("regenerate", "code")}
            />
            <div className="actions">
              <Button type="submit" variant="secondary" busy={busy}>
                Make new recovery codes
              </Button>
            </div>
          </Form>
          <Form method="post" className="card stack">
            <h2>Turn off two-factor sign-in</h2>
            <input type="hidden" name="intent" value="disable" />
            <Field
              id="disable-code"
              name="code"
              label="Code from your app, or a recovery code"
              autoComplete="one-time-code"
              errors={errorsFor("disable", "code")}
            />
            <Field
              id="disable-password"
              name="password"
              type="password"
              label="Your password"
              autoComplete="current-password"
              errors={errorsFor("disable", "password")}
            />
            <div className="actions">
              <Button type="submit" variant="danger" busy={busy}>
                Turn off
              </Button>
            </div>
          </Form>
        </>
      ) : view.setup ? (
        <>
          <div className="card stack">
            <h2>1. Add this account to your app</h2>
            <p>Scan the code with an authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, Authy…).</p>
            <img src={view.setup.qr} alt="QR code holding the key for your authenticator app" width={200} height={200} />
            <p>
              Cannot scan it? Enter this key in the app instead:{" "}
              <code className="two-factor-secret" data-testid="two-factor-secret">
                {view.setup.secret}
              </code>
            </p>
          </div>
          <Form method="post" className="card stack">
            <h2>2. Enter the code your app shows</h2>
            <input type="hidden" name="intent" value="confirm" />
            <Field
              id="confirm-code"
              name="code"
              label="6-digit code"
              inputMode="numeric"
              autoComplete="one-time-code"
              errors={errorsFor("confirm", "code")}
            />
            <div className="actions">
              <Button type="submit" busy={busy}>
                Turn on two-factor sign-in
              </Button>
            </div>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="start" />
            <Button type="submit" variant="ghost" busy={busy}>
              Start again with a new key
            </Button>
          </Form>
        </>
      ) : (
        <Form method="post" className="card stack">
          <h2>Two-factor sign-in is off</h2>
          <p>
            With it on, signing in needs your password and a code from an authenticator app on your phone, so a stolen password alone is not
            enough.
          </p>
          <input type="hidden" name="intent" value="start" />
          <div className="actions">
            <Button type="submit" busy={busy}>
              Set up two-factor sign-in
            </Button>
          </div>
        </Form>
      )}
    </div>
  );
}

function RecoveryCodes({ codes, path, issuer }: { codes: string[]; path: string; issuer: string }) {
  const file = [
    `${issuer} recovery codes`,
    "Each code signs you in once, if you cannot use your authenticator app.",
    "",
    ...codes,
    "",
  ].join("\n");
  return (
    <div className="card stack">
      <h2>Save your recovery codes</h2>
      <p>
        If you lose your phone, each of these codes signs you in once instead of a code from the app.{" "}
        <strong>This is the only time they are shown.</strong> Keep them somewhere safe, such as a password manager.
      </p>
      <ul className="recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="actions">
        <a className="btn btn-secondary" href={`data:text/plain;charset=utf-8,${encodeURIComponent(file)}`} download="recovery-codes.txt">
          Download as a text file
        </a>
        <Link className="btn btn-primary" to={path}>
          I have saved them
        </Link>
      </div>
    </div>
  );
}

/** An agency's or the platform's one switch: require two-factor sign-in of its people. */
export function RequireTwoFactorForm({ checked, label, hint, saved }: { checked: boolean; label: string; hint: string; saved: boolean }) {
  const busy = useNavigation().state === "submitting";
  return (
    <Form method="post" className="card stack">
      {saved ? <Alert tone="success" title="Saved" /> : null}
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
          Save
        </Button>
      </div>
    </Form>
  );
}
