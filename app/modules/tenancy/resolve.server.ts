import { sql } from "kysely";
import { runtimeDb } from "~db/client";
import type { Language, Tenant, TenantBranding, TenantContact, TenantFeatures } from "~db/schema";
import { env } from "~/lib/env.server";
import { noteTenant } from "~/lib/log.server";
import { oncePerRequest } from "~/lib/per-request.server";
import type { Levy } from "~/modules/rating";
import { intlLocale } from "~/lib/languages";
import { resolveLanguage } from "~/modules/i18n/i18n.server";

/** What a request's host points at. */
export type Site =
  | { kind: "platform"; host: string }
  | { kind: "tenant"; host: string; tenant: TenantInfo }
  | { kind: "suspended"; host: string; tenant: TenantInfo }
  | { kind: "unknown"; host: string };

/** The parts of a tenant every page needs: identity, locale, money, branding. */
export interface TenantInfo {
  id: string;
  slug: string;
  name: string;
  status: "active" | "suspended";
  currency: string;
  /**
   * The Intl locale this request formats numbers, money and dates in: the request's language in
   * the tenant's country ("sw-KE"). `homeLocale` is the tenant's own ("en-KE").
   */
  locale: string;
  homeLocale: string;
  /** The request's language (siteOf), or the tenant's default where there is no request. */
  language: Language;
  timeZone: string;
  features: TenantFeatures;
  branding: TenantBranding;
  contact: TenantContact;
  numberPrefix: string;
  /** The storefront's pricing rules (tenants.settings), read with the tenant: every price shown needs them. */
  levies: Levy[];
  quoteValidityDays: number;
  /** The languages it offers and a visitor's default (issue 14). */
  languages: Language[];
  defaultLanguage: Language;
}

type TenantRow = Pick<
  Tenant,
  "id" | "slug" | "name" | "status" | "currency" | "locale" | "time_zone" | "features" | "branding" | "contact"
> &
  Partial<Pick<Tenant, "languages" | "default_language">> & {
    // From selectTenant; a full row carries them inside its manifest and settings instead.
    number_prefix?: string | null;
    levies?: Levy[] | null;
    quote_validity_days?: number | null;
    manifest?: { numbering?: { prefix?: string } };
    settings?: { levies?: Levy[]; quoteValidityDays?: number };
  };

export function toTenantInfo(row: TenantRow): TenantInfo {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    status: row.status,
    currency: row.currency,
    locale: row.locale,
    homeLocale: row.locale,
    language: row.default_language ?? "en",
    timeZone: row.time_zone,
    features: row.features,
    branding: row.branding,
    contact: row.contact,
    numberPrefix: row.number_prefix ?? row.manifest?.numbering?.prefix ?? row.slug.replace(/-/g, "").slice(0, 3).toUpperCase(),
    levies: row.levies ?? row.settings?.levies ?? [],
    quoteValidityDays: row.quote_validity_days ?? row.settings?.quoteValidityDays ?? 30,
    languages: row.languages ?? ["en"],
    defaultLanguage: row.default_language ?? "en",
  };
}

/** Only what every request needs: never the whole manifest or settings documents. */
export function selectTenant() {
  return runtimeDb()
    .selectFrom("tenants")
    .select(["tenants.id", "tenants.slug", "tenants.name", "tenants.status", "tenants.currency", "tenants.locale", "tenants.time_zone"])
    .select(["tenants.features", "tenants.branding", "tenants.contact", "tenants.languages", "tenants.default_language"])
    .select(sql<string | null>`tenants.manifest -> 'numbering' ->> 'prefix'`.as("number_prefix"))
    .select(sql<Levy[] | null>`tenants.settings -> 'levies'`.as("levies"))
    .select(sql<number | null>`(tenants.settings ->> 'quoteValidityDays')::int`.as("quote_validity_days"));
}

/** The host without port, lower-cased. Remix's adapter builds request.url from the Host header. */
export function hostOf(request: Request): string {
  return new URL(request.url).hostname.toLowerCase();
}

/**
 * Host → site, per docs/architecture.md §2: `<slug>.<TENANT_HOST_SUFFIX>` (bowman.localhost in development),
 * then any custom domain in `tenant_domains`, then the platform host; anything else is unknown.
 */
export async function resolveHost(host: string): Promise<Site> {
  const { PLATFORM_HOST, TENANT_HOST_SUFFIX } = env();
  let row: TenantRow | undefined;
  const suffix = `.${TENANT_HOST_SUFFIX}`;
  if (host.endsWith(suffix)) {
    const slug = host.slice(0, -suffix.length);
    if (!slug.includes(".")) row = await selectTenant().where("tenants.slug", "=", slug).executeTakeFirst();
  }
  if (!row) {
    row = await selectTenant()
      .innerJoin("tenant_domains", "tenant_domains.tenant_id", "tenants.id")
      .where("tenant_domains.host", "=", host)
      .executeTakeFirst();
  }
  if (row) {
    const tenant = toTenantInfo(row);
    return tenant.status === "active" ? { kind: "tenant", host, tenant } : { kind: "suspended", host, tenant };
  }
  if (host === PLATFORM_HOST || host === "127.0.0.1") return { kind: "platform", host };
  return { kind: "unknown", host };
}

/** The site a request is for, resolved once however many of its loaders ask. */
export function siteOf(request: Request): Promise<Site> {
  return oncePerRequest(request, "site", () =>
    resolveHost(hostOf(request)).then(async (found) => {
      if (found.kind === "platform" || found.kind === "unknown") return found;
      // Every later log line and error report of this request names the agency.
      noteTenant(found.tenant);
      const language = await resolveLanguage(request, found.tenant);
      return { ...found, tenant: { ...found.tenant, language, locale: intlLocale(language, found.tenant.homeLocale) } };
    }),
  );
}

/** The active tenant this request is for; anywhere else this page does not exist (404). */
export async function requireTenant(request: Request): Promise<TenantInfo> {
  const site = await siteOf(request);
  if (site.kind === "tenant") return site.tenant;
  if (site.kind === "suspended") throw new Response("This agency is currently unavailable.", { status: 503, statusText: "Suspended" });
  throw new Response("Not found", { status: 404 });
}

/** The platform operator site (the bare host) or 404. */
export async function requirePlatformSite(request: Request): Promise<void> {
  const site = await siteOf(request);
  if (site.kind !== "platform") throw new Response("Not found", { status: 404 });
}

/** Links in emails and QR codes point at the tenant's own storefront. */
export function originOf(request: Request): string {
  return new URL(request.url).origin;
}

/** A tenant by id, for work that has no request (jobs). */
export async function tenantById(tenantId: string): Promise<TenantInfo | undefined> {
  const row = await selectTenant().where("tenants.id", "=", tenantId).executeTakeFirst();
  return row ? toTenantInfo(row) : undefined;
}

/** The storefront's origin when no request gives it (jobs): the primary custom domain, else `<slug>.<suffix>`. */
export async function tenantOrigin(tenant: Pick<TenantInfo, "id" | "slug">): Promise<string> {
  const domain = await runtimeDb()
    .selectFrom("tenant_domains")
    .select("host")
    .where("tenant_id", "=", tenant.id)
    .orderBy("is_primary", "desc")
    .executeTakeFirst();
  if (domain) return `https://${domain.host}`;
  const { TENANT_HOST_SUFFIX, NODE_ENV, PORT } = env();
  return NODE_ENV === "production" ? `https://${tenant.slug}.${TENANT_HOST_SUFFIX}` : `http://${tenant.slug}.${TENANT_HOST_SUFFIX}:${PORT}`;
}
