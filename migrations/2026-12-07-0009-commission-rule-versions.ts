import { sql, type Kysely } from "kysely";
import { enableTenantRls } from "./rls";

/**
 * Commission rules take effect at an instant, not on a day (decision 016). A version started on a
 * day, and the ledger chose the version in force on the payment's day when its job ran: a payment
 * completed at 09:00 whose job ran after an admin saved a new rate at 11:00 was paid at the new
 * rate. Now a version is a row of its own with the instant it starts (`effective_at`); it is in
 * force until the next version of the same product and frequency starts, so "the version in force
 * at t" is the one with the latest start at or before t, unambiguous by a unique key. Its tiers
 * are the `commission_rules` rows that point to it; a version without tiers pays nothing.
 *
 * Nothing is ever closed or edited: a version's end is the next one's start. A version that has
 * started (in force, or ended) is history and cannot change; one still scheduled can be cancelled.
 *
 * Existing rules keep what they mean: a version per start day, at the start of that day in the
 * agency's time zone; an end day that starts no other version (the rules were stopped) becomes a
 * version without tiers. Rows that the day model allowed but no saved rules ever made — tiers of one
 * version ending on different days — stop the migration rather than change what they pay.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table commission_rule_versions (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      product_id uuid not null,
      frequency text not null check (frequency in ('annual', 'semi_annual', 'quarterly', 'monthly')),
      -- Payments completed from this instant on are paid by this version, until the next one starts.
      effective_at timestamptz not null,
      created_by uuid,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, product_id, frequency, effective_at),
      -- The tiers' key: a tier names its version's product and frequency, and cannot contradict them.
      unique (tenant_id, id, product_id, frequency),
      foreign key (tenant_id, product_id) references products (tenant_id, id),
      foreign key (tenant_id, created_by) references users (tenant_id, id)
    )
  `.execute(db);

  // The migrator reads every tenant's rules (RLS is forced on the table, even for its owner).
  await sql`alter table commission_rules no force row level security`.execute(db);
  const broken = await sql<{ tenant_id: string; product_id: string; frequency: string; effective_from: string }>`
    with bounds as (
      select tenant_id, product_id, frequency, effective_from as day from commission_rules
      union
      select tenant_id, product_id, frequency, effective_to from commission_rules where effective_to is not null
    ),
    next_bound as (
      select r.tenant_id, r.product_id, r.frequency, r.effective_from, r.effective_to,
             (select min(b.day) from bounds b
              where b.tenant_id = r.tenant_id and b.product_id = r.product_id and b.frequency = r.frequency and b.day > r.effective_from) as next_day
      from commission_rules r
    )
    select tenant_id, product_id, frequency, effective_from::text from next_bound
    where effective_to is distinct from next_day
  `.execute(db);
  if (broken.rows.length > 0)
    throw new Error(
      `commission_rules: ${broken.rows.length} tier(s) end where no version starts or ends, e.g. ${JSON.stringify(broken.rows[0])}; ` +
        "split them into versions by hand before migrating",
    );

  await sql`
    insert into commission_rule_versions (tenant_id, product_id, frequency, effective_at, created_by, created_at)
    select distinct on (r.tenant_id, r.product_id, r.frequency, r.effective_from)
           r.tenant_id, r.product_id, r.frequency, r.effective_from::timestamp at time zone t.time_zone, r.created_by, r.created_at
    from commission_rules r join tenants t on t.id = r.tenant_id
    order by r.tenant_id, r.product_id, r.frequency, r.effective_from, r.created_at
  `.execute(db);
  // Rules stopped on a day with nothing after: from then on, a version that pays nothing.
  await sql`
    insert into commission_rule_versions (tenant_id, product_id, frequency, effective_at)
    select distinct r.tenant_id, r.product_id, r.frequency, r.effective_to::timestamp at time zone t.time_zone
    from commission_rules r join tenants t on t.id = r.tenant_id
    where r.effective_to is not null
    on conflict (tenant_id, product_id, frequency, effective_at) do nothing
  `.execute(db);

  await sql`alter table commission_rules add column version_id uuid`.execute(db);
  await sql`
    update commission_rules r set version_id = v.id
    from commission_rule_versions v, tenants t
    where t.id = r.tenant_id and v.tenant_id = r.tenant_id and v.product_id = r.product_id and v.frequency = r.frequency
      and v.effective_at = r.effective_from::timestamp at time zone t.time_zone
  `.execute(db);
  await sql`alter table commission_rules alter column version_id set not null`.execute(db);
  // The day ranges' exclusion constraint and check go with the days (their names were generated).
  await sql`
    do $$
    declare c record;
    begin
      for c in select conname from pg_constraint
               where conrelid = 'commission_rules'::regclass
                 and (contype = 'x' or (contype = 'c' and pg_get_constraintdef(oid) like '%effective_to%'))
      loop
        execute format('alter table commission_rules drop constraint %I', c.conname);
      end loop;
    end $$
  `.execute(db);
  await sql`alter table commission_rules drop column effective_from, drop column effective_to, drop column created_by, drop column created_at`.execute(
    db,
  );
  await sql`
    alter table commission_rules
      add foreign key (tenant_id, version_id, product_id, frequency)
        references commission_rule_versions (tenant_id, id, product_id, frequency),
      add unique (tenant_id, version_id, tier)
  `.execute(db);
  await sql`alter table commission_rules force row level security`.execute(db);
  await enableTenantRls(db, "commission_rule_versions");

  // History stays as it was paid. A version that has started never changes; one still scheduled
  // may be cancelled (its tiers first, then itself). Tiers are never edited in place: a change is
  // a new version. Tiers are added only to a version still scheduled or made in this transaction
  // (a seed or a backfill writes a version and its tiers together).
  await sql`
    create or replace function commission_rule_version_started() returns trigger language plpgsql as $$
    begin
      if old.effective_at <= now() then
        raise exception 'commission rule version % has started: it is history and cannot change', old.id using errcode = '42501';
      end if;
      return old;
    end $$
  `.execute(db);
  await sql`
    create trigger commission_rule_versions_no_update before update on commission_rule_versions
    for each row execute function refuse_change()
  `.execute(db);
  await sql`
    create trigger commission_rule_versions_started before delete on commission_rule_versions
    for each row execute function commission_rule_version_started()
  `.execute(db);
  await sql`
    create or replace function commission_rules_of_started_version() returns trigger language plpgsql as $$
    declare
      row_tenant uuid := case when tg_op = 'INSERT' then new.tenant_id else old.tenant_id end;
      row_version uuid := case when tg_op = 'INSERT' then new.version_id else old.version_id end;
      started boolean;
    begin
      select v.effective_at <= now() and not (tg_op = 'INSERT' and v.created_at = now()) into started
      from commission_rule_versions v where v.tenant_id = row_tenant and v.id = row_version;
      if started then
        raise exception 'commission rule version % has started: its tiers are history and cannot change', row_version
          using errcode = '42501';
      end if;
      if tg_op = 'INSERT' then
        return new;
      end if;
      return old;
    end $$
  `.execute(db);
  await sql`
    create trigger commission_rules_no_update before update on commission_rules
    for each row execute function refuse_change()
  `.execute(db);
  await sql`
    create trigger commission_rules_started before insert or delete on commission_rules
    for each row execute function commission_rules_of_started_version()
  `.execute(db);
}
