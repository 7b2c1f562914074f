import type { TFunction } from "i18next";
import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { WorkflowSubject } from "~db/schema";
import { claimTypesFor } from "~/modules/claims/rules";
import { savedTemplateFor, type TemplateRow, type WorkflowHandlers } from "./engine.server";
import { definitionSchema, words, type WorkflowDefinition } from "./templates";

/**
 * What the template editor lists (decision 026): every saved version, grouped by what it applies to,
 * with how many claims or policies run on each; and the scopes an admin can make a template for.
 */

export interface VersionRow extends Omit<TemplateRow, "definition"> {
  /** Who saved it (their name). */
  createdBy: string | null;
  /** Claims or policies whose workflow is still running on this version. */
  running: number;
}

export interface VersionDetail extends VersionRow {
  definition: WorkflowDefinition;
}

function versions(db: TenantDb) {
  return db
    .selectFrom("workflow_templates as t")
    .leftJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "t.tenant_id").onRef("u.id", "=", "t.created_by"))
    .select((eb) => [
      "t.id",
      "t.subject",
      "t.scope",
      "t.claim_type",
      "t.version",
      "t.name",
      "t.created_at",
      "t.definition",
      "u.name as created_by",
      eb
        .selectFrom("workflow_instances as i")
        .select(sql<number>`count(*)::int`.as("n"))
        .whereRef("i.tenant_id", "=", "t.tenant_id")
        .whereRef("i.template_id", "=", "t.id")
        .where("i.status", "=", "active")
        .as("running"),
    ]);
}

type Raw = Awaited<ReturnType<ReturnType<typeof versions>["execute"]>>[number];

const toRow = (r: Raw): VersionRow => ({
  id: r.id,
  subject: r.subject,
  scope: r.scope,
  claimType: r.claim_type,
  version: r.version,
  name: r.name,
  createdAt: r.created_at,
  createdBy: r.created_by,
  running: r.running ?? 0,
});

/** Every version the tenant saved, newest first within each (subject, scope, claim type). */
export async function allVersions(db: TenantDb): Promise<VersionRow[]> {
  const rows = await versions(db).orderBy("t.subject").orderBy("t.scope").orderBy("t.claim_type").orderBy("t.version", "desc").execute();
  return rows.map(toRow);
}

/** One version with its stages, and every version of its scope (newest first). */
export async function versionDetail(db: TenantDb, id: string): Promise<{ version: VersionDetail; siblings: VersionRow[] } | undefined> {
  const row = await versions(db).where("t.id", "=", id).executeTakeFirst();
  if (!row) return undefined;
  const siblings = await versions(db)
    .where("t.subject", "=", row.subject)
    .where("t.scope", "=", row.scope)
    .where("t.claim_type", "=", row.claim_type)
    .orderBy("t.version", "desc")
    .execute();
  return { version: { ...toRow(row), definition: definitionSchema.parse(row.definition) }, siblings: siblings.map(toRow) };
}

/** The latest version saved for exactly this scope, or 0. */
export async function latestVersion(db: TenantDb, subject: WorkflowSubject, scope: string, claimType: string): Promise<number> {
  const row = await db
    .selectFrom("workflow_templates")
    .select(sql<number | null>`max(version)`.as("v"))
    .where("subject", "=", subject)
    .where("scope", "=", scope)
    .where("claim_type", "=", claimType)
    .executeTakeFirstOrThrow();
  return row.v ?? 0;
}

export interface ScopeChoices {
  categories: { slug: string; name: string; claimFamily: string | null }[];
  families: string[];
  /**
   * The claim types of the agency's claim families (app/modules/claims/rules.ts) and any other seen in
   * its claims and templates: suggestions, as any well-formed type is allowed.
   */
  claimTypes: { value: string; label: string }[];
}

export async function scopeChoices(db: TenantDb): Promise<ScopeChoices> {
  const categories = await db
    .selectFrom("categories")
    .select(["slug", "name", "claim_family"])
    .orderBy("display_order")
    .orderBy("name")
    .execute();
  const types = await db
    .selectFrom("claims")
    .select("claim_type")
    .distinct()
    .union(db.selectFrom("workflow_templates").select("claim_type").where("claim_type", "<>", "*").distinct())
    .execute();
  const families = [...new Set(categories.flatMap((c) => (c.claim_family ? [c.claim_family] : [])))].sort();
  const known = new Map(families.flatMap((f) => claimTypesFor(f).map((t) => [t.value, t.label] as const)));
  for (const t of types) if (!known.has(t.claim_type)) known.set(t.claim_type, words(t.claim_type));
  return {
    categories: categories.map((c) => ({ slug: c.slug, name: c.name, claimFamily: c.claim_family })),
    families,
    claimTypes: [...known].map(([value, label]) => ({ value, label })).sort((a, b) => a.value.localeCompare(b.value)),
  };
}

/** "Motor claims", "Category: Motor Comprehensive", "All claims" — what a scope means to an admin. */
export function scopeLabel(
  subject: WorkflowSubject,
  scope: string,
  claimType: string,
  choices: Pick<ScopeChoices, "categories">,
  t: TFunction,
): string {
  const category = choices.categories.find((c) => c.slug === scope);
  const base =
    scope === "*"
      ? t(`workflows.scope.all.${subject}`)
      : t(`workflows.scope.of.${subject}`, {
          name:
            category && (subject === "policy" || category.claimFamily !== scope)
              ? category.name
              : words(scope).replace(/^./, (c) => c.toUpperCase()),
        });
  return claimType === "*" ? base : `${base} · ${words(claimType)}`;
}

/** The scopes a template for `scope` would fall back through (a category's family after it). */
function scopeChain(subject: WorkflowSubject, scope: string, choices: ScopeChoices): string[] {
  if (scope === "*") return [];
  const family = subject === "claim" ? choices.categories.find((c) => c.slug === scope)?.claimFamily : null;
  return family && family !== scope ? [scope, family] : [scope];
}

export interface EditorStart {
  subject: WorkflowSubject;
  scope: string;
  claimType: string;
  label: string;
  /** The latest version saved for exactly this scope (0: none yet); saving makes the next. */
  basedOn: number;
  /** The saved version the editor starts from, when it starts from one (else the built-in default). */
  from: { version: number; scope: string | null } | null;
  name: string;
  definition: WorkflowDefinition;
  handlers: WorkflowHandlers;
}

/**
 * Where the editor starts: from a given version (a new version of its own scope), or for a scope
 * from the template that applies to it today — saved, or the built-in default.
 */
export async function editorStart(
  db: TenantDb,
  handlersFor: (subject: WorkflowSubject) => Promise<WorkflowHandlers>,
  input: { from?: string; subject: WorkflowSubject; scope: string; claimType: string },
  t: TFunction,
): Promise<EditorStart | undefined> {
  const choices = await scopeChoices(db);
  let subject = input.subject;
  let scope = input.scope;
  let claimType = subject === "claim" ? input.claimType : "*";
  let base: { name: string; definition: WorkflowDefinition; from: EditorStart["from"] };
  if (input.from) {
    const detail = await versionDetail(db, input.from);
    if (!detail) return undefined;
    ({ subject, scope, claimType } = detail.version);
    base = { name: detail.version.name, definition: detail.version.definition, from: { version: detail.version.version, scope: null } };
  } else {
    const saved = await savedTemplateFor(db, subject, scopeChain(subject, scope, choices), claimType);
    const fallback = (await handlersFor(subject)).defaultTemplate({ scope, claimType });
    base = saved
      ? {
          name: saved.name,
          definition: saved.definition,
          from: {
            version: saved.version,
            scope:
              saved.scope === scope && saved.claimType === claimType ? null : scopeLabel(subject, saved.scope, saved.claimType, choices, t),
          },
        }
      : { ...fallback, from: null };
  }
  return {
    subject,
    scope,
    claimType,
    label: scopeLabel(subject, scope, claimType, choices, t),
    basedOn: await latestVersion(db, subject, scope, claimType),
    from: base.from,
    name: base.name,
    definition: base.definition,
    handlers: await handlersFor(subject),
  };
}
