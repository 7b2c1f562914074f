/**
 * BENCH DATA, not demo data: what `npm run bench:claims` measures the claims queue and My tasks on,
 * made in a throwaway database and thrown away with it. Nobody signs in to it but the bench.
 *
 * - Agencies: BENCH_CLAIMS_TENANTS (50) copies of the demo agencies' manifests and catalogues
 *   (Bowman and KHHoldings in turn, without the agent network), loaded by `seed` as the platform
 *   loads any agency, with the manifest's demo users (an admin, an assessor and a claims manager
 *   among them: the bench signs in as those two through the login form).
 * - Per agency, in set-based SQL inside `withTenant` (row-level security and every constraint
 *   apply): more assessors (one per 250 claims) and claims managers (3 in all), customers (one
 *   per 4 claims), active annual-term policies (one per 2 claims) started over the last year, each
 *   with the chain a policy has (a quote cloned from a real one priced by the quote module, a paid
 *   order, its item); BENCH_CLAIMS_PER_TENANT (2,000) claims filed over the last year, each with
 *   its workflow instance on the agency's real default template, its tasks and its timeline, as
 *   tests/bench/claims-paths.ts plays them through the claim machine and the template. Open claims
 *   are recent, their open tasks started within 1.4 × their SLA (so some are past due); closed
 *   ones are spread with the book's growth (claims per policy even).
 * - Left out, as the two pages read none of it: payments and instalments of the policies, the
 *   policies' own timeline, claim documents, requests, notes, sign-offs and settlements, facilities,
 *   the workflow timers' jobs (no worker runs during the bench).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { sql } from "kysely";
import type pg from "pg";
import { withPlatform, withTenant, type TenantDb } from "~db/client";
import { claimWorkflow } from "~/modules/claims/workflow.server";
import { createQuote } from "~/modules/quotes/quotes.server";
import { tenantById, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { templateFor } from "~/modules/workflows/engine.server";
import { seedTenantCopies, type TenantCopy } from "../support/tenant-copies";
import { claimPaths, type ClaimPath } from "./claims-paths";

function intFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number above 0`);
  return value;
}

export const SIZES = {
  tenants: intFromEnv("BENCH_CLAIMS_TENANTS", 50),
  claimsPerTenant: intFromEnv("BENCH_CLAIMS_PER_TENANT", 2000),
  /** Agencies filled at once (one connection each). */
  streams: intFromEnv("BENCH_CLAIMS_STREAMS", 2),
};

/** Who the bench signs in as in each agency: its manifest's first demo assessor and claims manager. */
export type Who = "assessor" | "claimsManager";
const ROLE_OF: Record<Who, string> = { assessor: "assessor", claimsManager: "claims_manager" };

export interface BenchTenant {
  tenant: TenantInfo;
  host: string;
  people: Record<Who, { id: string; email: string; password: string }>;
}

const FIRST_NAMES = ["Amina", "Brian", "Chebet", "David", "Esther", "Farah", "George", "Halima", "Ian", "Jane", "Kamau", "Lina"];
const LAST_NAMES = ["Hassan", "Otieno", "Wanjiru", "Tan", "Kumar", "Abdullah", "Mwangi", "Lim", "Njoroge", "Rahman", "Achieng"];
const PLACES = ["Nairobi", "Mombasa", "Kisumu", "Nakuru", "Kuala Lumpur", "Penang", "Johor Bahru", "Ipoh"];

/** What can be claimed, by the category's claim family (claims-customer's list, abridged). */
const CLAIM_TYPES: Record<string, string[]> = {
  motor: ["accident", "theft", "third_party", "windscreen"],
  medical: ["inpatient", "outpatient", "accident"],
  life: ["death", "disability"],
  travel: ["medical", "baggage", "cancellation"],
  home: ["fire", "burglary", "water_damage", "accidental_damage"],
};

const REASONS: Record<string, string> = {
  request_documents: "Please send the documents listed.",
  reject: "The policy does not cover this loss.",
  appeal: "The loss happened after cover was restored.",
  withdraw: "Settled privately with the other party.",
};

/** Seeds the agencies, then fills them two at a time; returns them with how long each part took. */
export async function generateClaimsData(log: (line: string) => void): Promise<BenchTenant[]> {
  const t0 = performance.now();
  const copies: TenantCopy[] = Array.from({ length: SIZES.tenants }, (_, i) => {
    const from = i % 2 === 0 ? "bowman" : "khholdings";
    const number = String(i + 1).padStart(2, "0");
    return {
      from,
      slug: `claims-bench-${number}`,
      name: `Claims bench ${number} (${from})`,
      files: ["manifest.json", "catalogue.json"],
      manifest: (m) => ({
        ...m,
        features: { ...(m.features as Record<string, unknown>), agentNetwork: false },
        numbering: { prefix: `C${letter(Math.floor(i / 26))}${letter(i % 26)}` },
      }),
    };
  });
  // Two seeds at once: each is mostly waiting on PostgreSQL and on password hashing.
  const half = Math.ceil(copies.length / 2);
  await Promise.all([seedTenantCopies(copies.slice(0, half)), copies.length > half ? seedTenantCopies(copies.slice(half)) : null]);
  const rows = await withPlatform((db) =>
    db
      .selectFrom("tenants")
      .select("id")
      .where(
        "slug",
        "in",
        copies.map((c) => c.slug),
      )
      .orderBy("slug")
      .execute(),
  );
  const tenants = await Promise.all(rows.map(async (r) => (await tenantById(r.id))!));
  const demoUsers = new Map<string, DemoUser[]>();
  for (const from of new Set(copies.map((c) => c.from))) {
    const manifest = JSON.parse(await readFile(path.join("tenants", from, "manifest.json"), "utf8")) as { demoUsers: DemoUser[] };
    demoUsers.set(from, manifest.demoUsers);
  }
  log(`  ${tenants.length} agencies seeded from their manifests in ${seconds(t0)}`);

  const t1 = performance.now();
  const filled: BenchTenant[] = [];
  let next = 0;
  const stream = async () => {
    for (let i = next++; i < tenants.length; i = next++) filled[i] = await fillTenant(tenants[i]!, demoUsers.get(copies[i]!.from)!);
  };
  await Promise.all(Array.from({ length: SIZES.streams }, stream));
  const claims = SIZES.tenants * SIZES.claimsPerTenant;
  log(`  ${claims.toLocaleString("en")} claims with their policies, people, workflows and timelines in ${seconds(t1)}`);
  return filled;
}

function letter(n: number): string {
  return String.fromCharCode(65 + (n % 26));
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

interface DemoUser {
  email: string;
  password: string;
  roles: string[];
}

async function fillTenant(tenant: TenantInfo, demoUsers: DemoUser[]): Promise<BenchTenant> {
  const claims = SIZES.claimsPerTenant;
  const sizes = {
    claims,
    customers: Math.max(10, Math.ceil(claims / 4)),
    policies: Math.max(10, Math.ceil(claims / 2)),
    moreAssessors: Math.max(1, Math.round(claims / 250) - 1),
    moreManagers: 2,
  };
  const host = `${tenant.slug}.localhost`;
  return withTenant(tenant.id, async (db) => {
    await people(db, sizes);
    const quoteIds = await realQuotes(db, tenant);
    await policies(db, tenant, sizes.policies, quoteIds, `http://${host}`);
    const template = await templateFor(db, claimWorkflow(tenant, `http://${host}`), ["*"]);
    await claimsWithHistory(db, tenant, sizes, template.id, claimPaths(template.definition));
    await counters(db);
    const person = async (who: Who) => {
      const demo = demoUsers.find((u) => u.roles.includes(ROLE_OF[who]));
      if (!demo) throw new Error(`${tenant.slug}: its manifest has no demo ${ROLE_OF[who]} to sign in as`);
      const user = await db.selectFrom("users").select("id").where("email", "=", demo.email).executeTakeFirstOrThrow();
      return { id: user.id, email: demo.email, password: demo.password };
    };
    return { tenant, host, people: { assessor: await person("assessor"), claimsManager: await person("claimsManager") } };
  });
}

async function people(db: TenantDb, sizes: { customers: number; moreAssessors: number; moreManagers: number }) {
  await sql`
    with people as (
      insert into users (email, name, phone, email_verified_at, created_at, updated_at)
      select email, name, phone, at, at, at from (
        select 'customer' || n || '@bench.example' as email,
               (${FIRST_NAMES}::text[])[1 + n % ${FIRST_NAMES.length}] || ' ' || (${LAST_NAMES}::text[])[1 + (n / ${FIRST_NAMES.length}) % ${LAST_NAMES.length}] as name,
               '+2547' || lpad(n::text, 8, '0') as phone, now() - interval '2 years' + n * interval '1 minute' as at
        from generate_series(1, ${sizes.customers}::int) n
        union all
        select 'assessor' || n || '@staff.bench.example', 'Assessor ' || n, null, now() - interval '2 years'
        from generate_series(1, ${sizes.moreAssessors}::int) n
        union all
        select 'claims' || n || '@staff.bench.example', 'Claims manager ' || n, null, now() - interval '2 years'
        from generate_series(1, ${sizes.moreManagers}::int) n
      ) p
      returning id, email
    )
    insert into user_roles (user_id, role)
    select id, case when email like 'customer%' then 'customer' when email like 'assessor%' then 'assessor' else 'claims_manager' end
    from people
  `.execute(db);
}

/** One quote per product that sells without underwriting, priced by the quote module from the product's sample input. */
async function realQuotes(db: TenantDb, tenant: TenantInfo): Promise<string[]> {
  const products = await db
    .selectFrom("products")
    .select(["slug", "sample_input"])
    .where("active", "=", true)
    .where("requires_underwriting", "=", false)
    .orderBy("slug")
    .execute();
  const ids: string[] = [];
  for (const product of products) {
    for (const frequency of ["annual", "monthly", "quarterly", "semi_annual"]) {
      const quoted = await createQuote(db, tenant, { productSlug: product.slug, input: product.sample_input, frequency });
      if (!quoted.ok) continue;
      ids.push(quoted.quote.id);
      break;
    }
  }
  if (ids.length === 0) throw new Error(`${tenant.slug}: no product could be quoted from its sample input`);
  return ids;
}

/** Active policies started evenly over the last 364 days (policy n started before policy n+1), each on a clone of a real quote. */
async function policies(db: TenantDb, tenant: TenantInfo, count: number, quoteIds: string[], origin: string) {
  await sql`
    create temporary table bench_quotes on commit drop as
    select row_number() over (order by q.id)::int as k, q.id, q.reference, q.product_id, q.frequency, q.premium_minor, q.total_minor,
           q.inputs, q.breakdown, q.currency,
           coalesce(c.claim_family, case when c.slug in ('hibah', 'takaful', 'funeral', 'education') then 'life'
                                         when c.slug in ('motor', 'medical', 'life', 'travel', 'home') then c.slug
                                         else 'medical' end) as family
    from quotes q join products p on p.id = q.product_id join categories c on c.id = p.category_id
    where q.id = any(${quoteIds}::uuid[])
  `.execute(db);
  await sql`
    create temporary table bench_customers on commit drop as
    select row_number() over (order by u.id)::int as k, u.id, u.name, u.email, u.phone
    from users u join user_roles r on r.user_id = u.id and r.role = 'customer'
  `.execute(db);
  await sql`
    create temporary table bench_policies on commit drop as
    select x.n, gen_random_uuid() as id, gen_random_uuid() as order_id, gen_random_uuid() as item_id, gen_random_uuid() as quote_id,
           q.reference as source_reference, q.product_id, q.frequency, q.premium_minor, q.total_minor, q.inputs, q.breakdown, q.currency,
           q.family, c.id as user_id, c.name, c.email, c.phone,
           current_date - 364 + ((x.n - 1) * 364 / ${count}::int) as start_date,
           case q.frequency when 'monthly' then 12 when 'quarterly' then 4 when 'semi_annual' then 2 else 1 end as per_year
    from (
      select n, 1 + floor(random() * ${quoteIds.length}::int)::int as qk, 1 + (n * 7919) % (select count(*) from bench_customers)::int as ck
      from generate_series(1, ${count}::int) n
    ) x
    join bench_quotes q on q.k = x.qk
    join bench_customers c on c.k = x.ck
  `.execute(db);
  await sql`analyze bench_policies`.execute(db);
  await sql`
    insert into quotes (id, reference, product_id, user_id, inputs, breakdown, frequency, premium_minor, total_minor, currency, valid_until, created_at)
    select quote_id, source_reference || '-B' || n, product_id, user_id, inputs, breakdown, frequency, premium_minor, total_minor, currency,
           start_date + 29, start_date - 1
    from bench_policies
  `.execute(db);
  await sql`
    insert into orders (id, reference, user_id, status, step, holder, payment_method, payment_phone, terms_accepted_at, origin, currency,
                        paid_at, created_at, updated_at)
    select order_id, ${tenant.numberPrefix} || '-ORD-' || extract(year from start_date) || '-' || lpad(n::text, 6, '0'), user_id, 'paid', 'payment',
           jsonb_build_object('name', name, 'email', email, 'phone', phone, 'dateOfBirth', '1985-01-01'), 'mpesa', phone, start_date, ${origin},
           currency, start_date, start_date, start_date
    from bench_policies
  `.execute(db);
  await sql`
    insert into order_items (id, order_id, quote_id, product_id, position, frequency, instalments_per_year, first_payment_minor,
                             later_instalment_minor, annual_premium_minor, levies_minor, discount_minor)
    select item_id, order_id, quote_id, product_id, 1, frequency, per_year, total_minor, case when per_year > 1 then total_minor else 0 end,
           total_minor * per_year, 0, 0
    from bench_policies
  `.execute(db);
  await sql`
    insert into policies (id, order_item_id, order_id, user_id, product_id, quote_id, policy_number, status, frequency, instalment_minor,
                          annual_premium_minor, currency, start_date, end_date, verification_code, issued_at, created_at, updated_at)
    select id, item_id, order_id, user_id, product_id, quote_id,
           ${tenant.numberPrefix} || '-POL-' || extract(year from start_date) || '-' || lpad(n::text, 6, '0'), 'active', frequency, total_minor,
           total_minor * per_year, currency, start_date, (start_date + interval '1 year' - interval '1 day')::date,
           upper(substr(md5(id::text), 1, 12)), start_date, start_date, start_date
    from bench_policies
  `.execute(db);
}

/** When a claim's step at fraction `frac` of its span (plus `offset` hours) happened. */
function atStep(frac: string, offset = "0") {
  return sql.raw(`c.filed + (c.end_at - c.filed) * ${frac} + ${offset} * interval '1 hour'`);
}

/** The paths as tables (one row per path, per step, per task), then the claims drawn over them. */
async function claimsWithHistory(
  db: TenantDb,
  tenant: TenantInfo,
  sizes: { claims: number; policies: number },
  templateId: string,
  paths: ClaimPath[],
) {
  await pathTables(db, paths);
  const staff = await db
    .selectFrom("user_roles")
    .select(["user_id", "role"])
    .where("role", "in", ["assessor", "claims_manager"])
    .orderBy("user_id")
    .execute();
  const assessors = staff.filter((s) => s.role === "assessor").map((s) => s.user_id);
  const managers = staff.filter((s) => s.role === "claims_manager").map((s) => s.user_id);
  const waitAfterRejection = paths.find((p) => p.key === "rejected")!.steps.find((s) => s.event === "timeout")!.offsetHours;

  // Rows go in in time order, as the app would have appended them (the planner reads the correlation).
  // Each claim: a path by its share; when it was filed and last moved (open ones recently, their
  // open task started within 1.4 × its SLA — at filing or at the last move, as the path has it;
  // closed ones with the book's growth); a policy that had started
  // by then; its assessor (round-robin; a tenth of new claims not yet); the claims manager who
  // decides (three in ten of their tasks handed to them by name). A rejection still open to
  // appeal, or closed by the timer, depending on when it was decided.
  await sql`
    create temporary table bench_claims on commit drop as
    with drawn as (
      select n, random() as u, random() as r1, random() as r2, random() as r3, random() as r4, random() as r5, random() as r6,
             random() as r7, random() as r8
      from generate_series(1, ${sizes.claims}::int) n
    ), timed as (
      select d.*, p.key as drawn_path, p.open, p.from_filing, p.moves, p.max_span_hours,
             case when p.open then now() - d.r1 * p.window_hours * interval '1 hour'
                  else now() - interval '2 hours' - 360 * (1 - sqrt(d.r1)) * interval '1 day' end as anchor
      from drawn d join bench_paths p on d.u >= p.lo and d.u < p.hi
    ), spanned as (
      select t.*,
             case when t.moves = 0 then interval '0'
                  when t.open then t.r2 * t.r2 * least(480, t.max_span_hours) * interval '1 hour'
                  else t.r2 * least(t.max_span_hours * interval '1 hour', now() - t.anchor - interval '1 hour') end as span
      from timed t
    ), dated as (
      select s.*,
             case when s.from_filing or not s.open then s.anchor else s.anchor - s.span end as filed,
             case when s.from_filing then s.anchor + s.r2 * (now() - s.anchor)
                  when s.open then s.anchor else s.anchor + s.span end as end_at
      from spanned s
    )
    select d.n, gen_random_uuid() as id, gen_random_uuid() as instance_id, d.filed, d.end_at, d.r4, d.r6, d.r7, d.r8,
           case when d.drawn_path = 'rejected' and d.end_at > now() - ${waitAfterRejection}::float8 * interval '1 hour'
                then 'rejected_open' else d.drawn_path end as path,
           1 + floor(d.r3 * greatest(1, least(${sizes.policies}::int,
                 floor((d.filed::date - (current_date - 364)) * ${sizes.policies}::int / 364.0))))::int as policy_n,
           case when d.drawn_path = 'submitted' and d.r6 < 0.1 then null
                else (${assessors}::uuid[])[1 + d.n % ${assessors.length}::int] end as assessor,
           (${managers}::uuid[])[1 + d.n % ${managers.length}::int] as manager,
           d.r5 < 0.3 as manager_assigned
    from dated d
  `.execute(db);
  await sql`analyze bench_claims`.execute(db);

  const families = Object.keys(CLAIM_TYPES);
  await sql`
    insert into claims (id, claim_number, policy_id, claimant_user_id, filed_by_user_id, claim_type, incident_date, incident_place, description,
                        claimed_minor, currency, status, eligibility_flags, policy_year_start, assessor_user_id, assessed_by, assessed_at,
                        approved_minor, excess_minor, payable_minor, reason_codes, decision, decision_note, decided_at, appealed_at,
                        appeal_reason, withdrawn_at, withdrawal_reason, revision, created_at, updated_at)
    select c.id,
           ${tenant.numberPrefix} || '-CLM-' || extract(year from c.filed) || '-' ||
             lpad(row_number() over (partition by extract(year from c.filed) order by c.filed)::text, 6, '0'),
           bp.id, bp.user_id, bp.user_id,
           (string_to_array(ty.types, ','))[1 + floor(c.r4 * array_length(string_to_array(ty.types, ','), 1))::int],
           greatest(bp.start_date, (c.filed - c.r6 * interval '7 days')::date),
           (${PLACES}::text[])[1 + c.n % ${PLACES.length}::int], 'Bench claim ' || c.n,
           a.claimed, bp.currency, p.status,
           case when c.r6 < 0.04 then '[{"code":"waiting_period","message":"The incident falls inside the waiting period."}]'::jsonb
                else '[]'::jsonb end,
           bp.start_date, c.assessor,
           case when p.f_assessed is not null then c.assessor end, ${atStep("p.f_assessed")},
           case when p.decision = 'approved' then a.approved end, case when p.decision = 'approved' then 0 end,
           case when p.decision = 'approved' then a.approved end,
           case when p.decision = 'rejected' then '{not_covered}'::text[] else '{}'::text[] end,
           case when p.decision = 'approved' and a.approved < a.claimed then 'partially_approved' else p.decision end,
           case when p.decision = 'rejected' then ${REASONS.reject} end, ${atStep("p.f_decided")},
           ${atStep("p.f_appealed")}, case when p.f_appealed is not null then ${REASONS.appeal} end,
           ${atStep("p.f_withdrawn")}, case when p.f_withdrawn is not null then ${REASONS.withdraw} end,
           p.moves, c.filed, c.end_at
    from bench_claims c
    join bench_paths p on p.key = c.path
    join bench_policies bp on bp.n = c.policy_n
    join unnest(${families}::text[], ${families.map((f) => CLAIM_TYPES[f]!.join(","))}::text[]) as ty(family, types) on ty.family = bp.family
    cross join lateral (select 100 + round(bp.total_minor * bp.per_year * (0.1 + c.r8 * 2.5))::bigint as claimed) a0
    cross join lateral (
      select a0.claimed, case when c.r7 < 0.7 then a0.claimed else round(a0.claimed * (0.5 + c.r7 * 0.5))::bigint end as approved
    ) a
    order by c.filed
  `.execute(db);
  await sql`
    insert into workflow_instances (id, template_id, subject, subject_id, current_stage, status, started_at, completed_at)
    select c.instance_id, ${templateId}, 'claim', c.id, p.stage, case when p.completed then 'completed' else 'active' end, c.filed,
           case when p.completed then ${atStep("p.end_frac", "p.end_offset")} end
    from bench_claims c join bench_paths p on p.key = c.path
    order by c.filed
  `.execute(db);
  await sql`
    insert into workflow_tasks (instance_id, stage, kind, status, required_role, assigned_user_id, due_at, started_at, completed_at,
                                completed_by, outcome)
    select c.instance_id, t.stage, t.kind, t.status, t.role,
           case t.assign when 'assessor' then c.assessor when 'manager' then case when c.manager_assigned then c.manager end end,
           x.started + t.due_hours * interval '1 hour', x.started, x.ended,
           case t.closer when 'claimant' then bp.user_id when 'assessor' then c.assessor when 'manager' then c.manager end,
           t.outcome
    from bench_claims c
    join bench_tasks t on t.path = c.path
    join bench_policies bp on bp.n = c.policy_n
    cross join lateral (select ${atStep("t.start_frac", "t.start_offset")} as started, ${atStep("t.end_frac", "t.end_offset")} as ended) x
    order by x.started
  `.execute(db);
  await sql`
    insert into state_changes (entity, entity_id, from_state, to_state, event, reason, actor_user_id, created_at)
    select 'claim', c.id, s.from_state, s.to_state, s.event, s.reason,
           case s.actor when 'claimant' then bp.user_id when 'assessor' then c.assessor when 'manager' then c.manager end,
           ${atStep("s.frac", "s.offset_hours")}
    from bench_claims c
    join bench_steps s on s.path = c.path
    join bench_policies bp on bp.n = c.policy_n
    where s.to_state is not null
    order by 8
  `.execute(db);
}

/** The claim paths as three small tables the bulk statements join: per path, per step, per task. */
async function pathTables(db: TenantDb, paths: ClaimPath[]) {
  let lo = 0;
  const rows = paths.map((p) => {
    const last = p.steps[p.steps.length - 1]!;
    const fracAt = (i: number) => (i < 0 ? null : p.steps[i]!.frac);
    const row = {
      ...p,
      lo,
      hi: lo + p.share,
      last,
      moves: p.steps.filter((s) => s.event !== "timeout").length - 1,
      decision: p.at.decided < 0 ? null : p.steps[p.at.decided]!.event === "approve" ? "approved" : "rejected",
      f: {
        assessed: fracAt(p.at.assessed),
        decided: fracAt(p.at.decided),
        appealed: fracAt(p.at.appealed),
        withdrawn: fracAt(p.at.withdrawn),
      },
    };
    lo += p.share;
    return row;
  });
  // The last path ends at 1 exactly, whatever the floating-point sum of the shares.
  rows[rows.length - 1]!.hi = 1.0000001;
  const col = <T>(pick: (r: (typeof rows)[number]) => T) => rows.map(pick);
  await sql`
    create temporary table bench_paths on commit drop as
    select * from unnest(
      ${col((r) => r.key)}::text[], ${col((r) => r.lo)}::float8[], ${col((r) => r.hi)}::float8[], ${col((r) => r.status)}::text[],
      ${col((r) => r.stage)}::text[], ${col((r) => r.completed)}::bool[], ${col((r) => r.windowHours > 0)}::bool[],
      ${col((r) => r.openTaskFromFiling)}::bool[],
      ${col((r) => r.windowHours)}::float8[], ${col((r) => r.maxSpanHours)}::float8[], ${col((r) => r.moves)}::int[],
      ${col((r) => r.last.frac)}::float8[], ${col((r) => r.last.offsetHours)}::float8[], ${col((r) => r.decision)}::text[],
      ${col((r) => r.f.assessed)}::float8[], ${col((r) => r.f.decided)}::float8[], ${col((r) => r.f.appealed)}::float8[],
      ${col((r) => r.f.withdrawn)}::float8[]
    ) as p(key, lo, hi, status, stage, completed, open, from_filing, window_hours, max_span_hours, moves, end_frac, end_offset, decision,
           f_assessed, f_decided, f_appealed, f_withdrawn)
  `.execute(db);
  const steps = paths.flatMap((p) => p.steps.map((s) => ({ path: p.key, ...s, reason: REASONS[s.event] ?? null })));
  await sql`
    create temporary table bench_steps on commit drop as
    select * from unnest(
      ${steps.map((s) => s.path)}::text[], ${steps.map((s) => s.event)}::text[], ${steps.map((s) => s.actor)}::text[],
      ${steps.map((s) => s.from)}::text[], ${steps.map((s) => s.to)}::text[], ${steps.map((s) => s.frac)}::float8[],
      ${steps.map((s) => s.offsetHours)}::float8[], ${steps.map((s) => s.reason)}::text[]
    ) as s(path, event, actor, from_state, to_state, frac, offset_hours, reason)
  `.execute(db);
  const tasks = paths.flatMap((p) =>
    p.tasks.map((t) => {
      const start = p.steps[t.startStep]!;
      const end = t.endStep === null ? null : p.steps[t.endStep]!;
      return {
        path: p.key,
        ...t,
        startFrac: start.frac,
        startOffset: start.offsetHours,
        endFrac: end?.frac ?? null,
        endOffset: end?.offsetHours ?? null,
      };
    }),
  );
  await sql`
    create temporary table bench_tasks on commit drop as
    select * from unnest(
      ${tasks.map((t) => t.path)}::text[], ${tasks.map((t) => t.stage)}::text[], ${tasks.map((t) => t.kind)}::text[],
      ${tasks.map((t) => t.role)}::text[], ${tasks.map((t) => t.status)}::text[], ${tasks.map((t) => t.outcome)}::text[],
      ${tasks.map((t) => t.closer)}::text[], ${tasks.map((t) => t.dueHours)}::float8[], ${tasks.map((t) => t.assign)}::text[],
      ${tasks.map((t) => t.startFrac)}::float8[], ${tasks.map((t) => t.startOffset)}::float8[], ${tasks.map((t) => t.endFrac)}::float8[],
      ${tasks.map((t) => t.endOffset)}::float8[]
    ) as t(path, stage, kind, role, status, outcome, closer, due_hours, assign, start_frac, start_offset, end_frac, end_offset)
  `.execute(db);
}

async function counters(db: TenantDb) {
  // The numbering series continue after the bench's numbers, as if the app had issued them.
  await sql`
    insert into counters (series, period, value)
    select 'claim', split_part(claim_number, '-', 3), max(split_part(claim_number, '-', 4)::bigint) from claims group by 2
    union all
    select 'policy', split_part(policy_number, '-', 3), max(split_part(policy_number, '-', 4)::bigint) from policies where policy_number is not null group by 2
    union all
    select 'order', split_part(reference, '-', 3), max(split_part(reference, '-', 4)::bigint) from orders group by 2
    on conflict (tenant_id, series, period) do update set value = greatest(counters.value, excluded.value)
  `.execute(db);
}

/**
 * What the bench data promises, checked across every agency as the owner sees it: the workflow and
 * the timeline agree with each claim's status, nothing happened in the future, the mix is the
 * issue's (10–15% open in the first four statuses, some tasks past due and some not).
 */
export async function checkClaimsData(owner: pg.Client): Promise<{ shape: string; checks: [boolean, string][] }> {
  const one = async (text: string) => Number((await owner.query<{ n: number }>(text)).rows[0]!.n);
  const claims = await one(`select count(*)::int as n from claims`);
  const open = await one(
    `select count(*)::int as n from claims where status in ('submitted', 'under_review', 'documents_requested', 'assessment_complete')`,
  );
  const openManual = await one(`select count(*)::int as n from workflow_tasks where status = 'open' and kind = 'manual'`);
  const pastDue = await one(`select count(*)::int as n from workflow_tasks where status = 'open' and kind = 'manual' and due_at < now()`);
  const tasks = await one(`select count(*)::int as n from workflow_tasks`);
  const timeline = await one(`select count(*)::int as n from state_changes where entity = 'claim'`);
  const policies = await one(`select count(*)::int as n from policies`);
  const checks: [boolean, string][] = [
    [
      (await one(`
        select count(*)::int as n from workflow_instances i
        left join workflow_tasks t on t.tenant_id = i.tenant_id and t.instance_id = i.id and t.status = 'open'
        where (i.status = 'active') <> (t.id is not null) or (t.id is not null and t.stage <> i.current_stage)`)) === 0,
      "every workflow still running has one open task, in its current stage; every ended one none",
    ],
    [
      (await one(`
        select count(*)::int as n from claims c
        left join workflow_instances i on i.tenant_id = c.tenant_id and i.subject = 'claim' and i.subject_id = c.id
        where i.id is null
           or c.revision + 1 <> (select count(*) from state_changes s where s.tenant_id = c.tenant_id and s.entity = 'claim' and s.entity_id = c.id)
           or c.status <> (select s.to_state from state_changes s where s.tenant_id = c.tenant_id and s.entity = 'claim' and s.entity_id = c.id
                           order by s.created_at desc limit 1)`)) === 0,
      "every claim has its workflow, and a timeline whose last entry is its status",
    ],
    [
      (await one(`
        select (select count(*) from claims c join policies p on p.tenant_id = c.tenant_id and p.id = c.policy_id
                where c.incident_date < p.start_date or c.created_at > now() or c.updated_at > now())
             + (select count(*) from workflow_tasks where started_at > now() or completed_at > now() or completed_at < started_at)::int as n`)) ===
        0,
      "no incident before its policy started, nothing dated in the future",
    ],
    // 13% drawn: within 10–15%, or three standard deviations of the draw on a small run.
    [
      Math.abs(open / claims - 0.13) <= Math.max(0.02, 3 * Math.sqrt((0.13 * 0.87) / claims)),
      `${((open / claims) * 100).toFixed(1)}% of claims open in the first four statuses`,
    ],
    [
      pastDue > 0 && pastDue < openManual,
      `${pastDue.toLocaleString("en")} of ${openManual.toLocaleString("en")} open manual tasks past due`,
    ],
  ];
  const shape =
    `claims ${claims.toLocaleString("en")}, policies ${policies.toLocaleString("en")}, workflow tasks ${tasks.toLocaleString("en")}, ` +
    `claim timeline rows ${timeline.toLocaleString("en")}`;
  return { shape, checks };
}
