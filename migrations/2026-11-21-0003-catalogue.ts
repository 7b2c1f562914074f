import { sql, type Kysely } from "kysely";
import { enableTenantRls } from "./rls";

/**
 * The storefront: each agency's insurers, categories and products (with their rating rules as
 * data), FAQs and reviews; saved quotes; carts; and per-tenant counters for people-facing numbers.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // People-facing numbers (BWM-Q-2026-000123) come from here, one row per tenant, series and year.
  await sql`
    create table counters (
      tenant_id uuid not null references tenants (id),
      series text not null,
      period text not null default '',
      value bigint not null default 0,
      primary key (tenant_id, series, period)
    )
  `.execute(db);

  await sql`
    create table insurers (
      tenant_id uuid not null references tenants (id),
      id uuid not null default gen_random_uuid(),
      slug text not null check (slug ~ '^[a-z0-9][a-z0-9-]*$'),
      name text not null,
      logo_url text,
      rating numeric(2, 1) check (rating between 0 and 5),
      description text not null default '',
      contact jsonb not null default '{}',
      commission_rate_bp int not null default 0 check (commission_rate_bp between 0 and 10000),
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, slug)
    )
  `.execute(db);

  await sql`
    create table categories (
      tenant_id uuid not null references tenants (id),
      id uuid not null default gen_random_uuid(),
      slug text not null check (slug ~ '^[a-z0-9][a-z0-9-]*$'),
      name text not null,
      icon text not null default 'shield',
      description text not null default '',
      display_order int not null default 0,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, slug)
    )
  `.execute(db);

  await sql`
    create table products (
      tenant_id uuid not null references tenants (id),
      id uuid not null default gen_random_uuid(),
      slug text not null check (slug ~ '^[a-z0-9][a-z0-9-]*$'),
      category_id uuid not null,
      insurer_id uuid not null,
      name text not null,
      summary text not null default '',
      description text not null default '',
      coverage jsonb not null default '[]',
      features jsonb not null default '[]',
      inclusions jsonb not null default '[]',
      exclusions jsonb not null default '[]',
      waiting_period_days int not null default 0 check (waiting_period_days >= 0),
      max_cover_minor bigint check (max_cover_minor >= 0),
      rating jsonb not null,
      -- A typical customer's inputs: the listing's "from" price is this quote's annual total.
      sample_input jsonb not null default '{}',
      starting_price_minor bigint not null check (starting_price_minor >= 0),
      requires_underwriting boolean not null default false,
      featured boolean not null default false,
      active boolean not null default true,
      quote_count int not null default 0,
      review_count int not null default 0,
      review_average numeric(3, 2),
      search tsvector generated always as (
        setweight(to_tsvector('english', name), 'A') ||
        setweight(to_tsvector('english', summary), 'B') ||
        setweight(to_tsvector('english', description), 'C') ||
        setweight(jsonb_to_tsvector('english', features, '["string"]'), 'C')
      ) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, slug),
      foreign key (tenant_id, category_id) references categories (tenant_id, id),
      foreign key (tenant_id, insurer_id) references insurers (tenant_id, id)
    )
  `.execute(db);
  await sql`create index products_search on products using gin (search)`.execute(db);
  await sql`create index products_listing on products (tenant_id, active, category_id, starting_price_minor)`.execute(db);
  await sql`create index products_insurer on products (tenant_id, insurer_id)`.execute(db);

  await sql`
    create table product_faqs (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      product_id uuid not null,
      question text not null,
      answer text not null,
      position int not null default 0,
      primary key (tenant_id, id),
      foreign key (tenant_id, product_id) references products (tenant_id, id) on delete cascade
    )
  `.execute(db);

  await sql`
    create table reviews (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      product_id uuid not null,
      user_id uuid not null,
      rating smallint not null check (rating between 1 and 5),
      title text not null default '',
      body text not null default '',
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, product_id, user_id),
      foreign key (tenant_id, product_id) references products (tenant_id, id) on delete cascade,
      foreign key (tenant_id, user_id) references users (tenant_id, id)
    )
  `.execute(db);

  await sql`
    create table quotes (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      reference text not null,
      product_id uuid not null,
      user_id uuid,
      inputs jsonb not null,
      breakdown jsonb not null,
      frequency text not null check (frequency in ('annual', 'semi_annual', 'quarterly', 'monthly')),
      premium_minor bigint not null check (premium_minor >= 0),
      total_minor bigint not null check (total_minor >= 0),
      currency char(3) not null,
      valid_until timestamptz not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, reference),
      foreign key (tenant_id, product_id) references products (tenant_id, id),
      foreign key (tenant_id, user_id) references users (tenant_id, id)
    )
  `.execute(db);

  await sql`
    create table carts (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      user_id uuid,
      status text not null default 'open' check (status in ('open', 'merged', 'checked_out')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, user_id) references users (tenant_id, id)
    )
  `.execute(db);
  // One open cart per signed-in customer; anonymous carts are found by their cookie.
  await sql`create unique index carts_one_open_per_user on carts (tenant_id, user_id) where status = 'open' and user_id is not null`.execute(
    db,
  );

  await sql`
    create table cart_items (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      cart_id uuid not null,
      quote_id uuid not null,
      added_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, cart_id, quote_id),
      foreign key (tenant_id, cart_id) references carts (tenant_id, id) on delete cascade,
      foreign key (tenant_id, quote_id) references quotes (tenant_id, id)
    )
  `.execute(db);

  for (const table of ["counters", "insurers", "categories", "products", "product_faqs", "reviews", "quotes", "carts", "cart_items"]) {
    await enableTenantRls(db, table);
  }
}
