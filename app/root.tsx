import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useChangeLanguage } from "remix-i18next/react";
import { ErrorPage } from "~/components/layout/error-page";
import { PlatformShell } from "~/components/layout/platform-shell";
import { StorefrontShell } from "~/components/layout/storefront-shell";
import { publicEnv } from "~/lib/env.server";
import { useNonce } from "~/lib/nonce";
import { keepRetryAfter } from "~/modules/abuse/rate-limit.server";
import { optionalUser } from "~/modules/auth/guards.server";
import { cartCountFor } from "~/modules/cart/cart.server";
import { readCompareSelection } from "~/modules/catalogue/compare.server";
import { withTenant } from "~/lib/db.server";
import { headerFacts } from "~/modules/notifications/inbox.server";
import { permissionsFor } from "~/modules/auth/permissions";
import { optionalOperator } from "~/modules/platform/operators.server";
import { siteOf } from "~/modules/tenancy/resolve.server";
import { translationsVersion } from "~/modules/i18n/i18n.server";
import { NAMESPACES } from "~/locales";
import styles from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

/** What the browser needs to load translations (decision 037): every namespace, one bundle per language. */
const i18n = { version: translationsVersion, namespaces: NAMESPACES };

export async function loader({ request }: LoaderFunctionArgs) {
  const site = await siteOf(request);
  if (site.kind === "unknown") {
    throw json({ reason: "unknown", host: site.host }, { status: 404 });
  }
  if (site.kind === "suspended") {
    throw json({ reason: "suspended", name: site.tenant.name, contact: site.tenant.contact }, { status: 503 });
  }
  if (site.kind === "platform") {
    const operator = await optionalOperator(request);
    return json({
      site: { kind: "platform" as const },
      user: null,
      operator: operator ? { name: operator.name, email: operator.email } : null,
      cartCount: 0,
      compareCount: 0,
      language: "en" as const,
      languages: ["en" as const],
      i18n,
      env: publicEnv(),
    });
  }
  const { tenant } = site;
  const user = await optionalUser(request);
  const cartCount = await cartCountFor(request, tenant.id, user?.id ?? null);
  // How many products the visitor has picked to compare (the header's "Compare (2)").
  const compareCount = (await readCompareSelection(request)).length;
  // The bell's unread count and, in an agent network, whether they are a member (the "My benefits"
  // tab, decision 035): one query for a signed-in person, none for a visitor (decision 042).
  const facts = user ? await withTenant(tenant.id, (db) => headerFacts(db, user.id, { agentNetwork: tenant.features.agentNetwork })) : null;
  return json({
    site: {
      kind: "tenant" as const,
      tenant: {
        name: tenant.name,
        slug: tenant.slug,
        currency: tenant.currency,
        locale: tenant.locale,
        timeZone: tenant.timeZone,
        branding: tenant.branding,
        contact: tenant.contact,
        features: tenant.features,
      },
    },
    user: user
      ? {
          id: user.id,
          name: user.name,
          email: user.email,
          emailVerified: user.emailVerified,
          permissions: [...permissionsFor(user.roles)],
          member: facts?.member ?? false,
          unreadNotifications: facts?.unreadNotifications ?? 0,
        }
      : null,
    operator: null,
    cartCount,
    compareCount,
    language: tenant.language,
    languages: tenant.languages,
    i18n,
    env: publicEnv(),
  });
}

export type RootData = ReturnType<typeof useRootData>;
export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const name = data?.site.kind === "tenant" ? data.site.tenant.name : "Covera";
  const description = data?.site.kind === "tenant" ? (data.site.tenant.branding.tagline ?? name) : "Covera runs insurance agencies online.";
  return [{ title: name }, { name: "description", content: description }];
};

/** Brand colours become CSS variables, so one stylesheet serves every agency. */
function brandStyle(data: RootData): string {
  if (data?.site.kind !== "tenant") return "";
  const c = data.site.tenant.branding.colors;
  return `:root{--brand:${c.primary};--brand-contrast:${c.primaryContrast};--accent:${c.accent};--surface:${c.surface};--text:${c.text};}`;
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRootData();
  const nonce = useNonce();
  const lang = data?.language ?? "en";
  // A language chosen on the switcher arrives with the root's data: i18next follows it.
  useChangeLanguage(lang);
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        {/* Colours are validated hex values (manifest and console schemas), safe to inline; the
            nonce lets this one <style> past the CSP (docs/decisions/014-content-security-policy.md). */}
        <style nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: brandStyle(data) }} />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const data = useRootData();
  if (data?.site.kind === "tenant") {
    return (
      <StorefrontShell>
        <Outlet />
      </StorefrontShell>
    );
  }
  return (
    <PlatformShell>
      <Outlet />
    </PlatformShell>
  );
}

// A refused page (429, decision 012) keeps its Retry-After when the error page is this one.
export const headers = keepRetryAfter;

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRootData();
  const body = <ErrorPage error={error} />;
  if (data?.site.kind === "tenant") return <StorefrontShell>{body}</StorefrontShell>;
  return <PlatformShell>{body}</PlatformShell>;
}
