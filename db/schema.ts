import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/**
 * The typed shape of every table, written by hand next to the migrations (one source: a
 * migration that changes a table changes this file in the same commit).
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, T | string | undefined, T | string>;
type Id = Generated<string>;
/** Filled from `app.tenant_id` by the column default inside withTenant; never changed. */
type TenantId = ColumnType<string, string | undefined, never>;

export type TenantStatus = "active" | "suspended";
export type Role = "customer" | "agent" | "staff" | "assessor" | "underwriter" | "admin";
export type TokenPurpose = "verify_email" | "reset_password" | "invite";
export type MessageStatus = "queued" | "sent" | "outbox" | "failed";

export interface TenantFeatures {
  marketplace: boolean;
  agentNetwork: boolean;
}
export interface TenantBranding {
  logoUrl?: string;
  tagline?: string;
  colors: { primary: string; primaryContrast: string; accent: string; surface: string; text: string };
}
export interface TenantContact {
  email?: string;
  phone?: string;
  whatsapp?: string;
  address?: string;
  licence?: string;
}

export interface TenantsTable {
  id: Id;
  slug: string;
  name: string;
  status: ColumnType<TenantStatus, TenantStatus | undefined, TenantStatus>;
  currency: string;
  locale: string;
  time_zone: string;
  features: Json<TenantFeatures>;
  branding: Json<TenantBranding>;
  contact: Json<TenantContact>;
  settings: Json<Record<string, unknown>>;
  manifest: Json<Record<string, unknown>>;
  suspended_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TenantDomainsTable {
  tenant_id: string;
  host: string;
  is_primary: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
}

export interface PlatformOperatorsTable {
  id: Id;
  email: string;
  name: string;
  password_hash: string;
  failed_login_count: ColumnType<number, number | undefined, number>;
  locked_until: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PlatformOperatorPasswordHistoryTable {
  id: Id;
  operator_id: string;
  password_hash: string;
  created_at: Timestamp;
}

export interface PlatformSessionsTable {
  id_hash: string;
  operator_id: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
}

export interface PlatformAuditLogTable {
  id: ColumnType<number, never, never>;
  operator_id: string | null;
  subject_tenant: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  details: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface UsersTable {
  tenant_id: TenantId;
  id: Id;
  email: string;
  name: string;
  phone: string | null;
  password_hash: string | null;
  status: ColumnType<"active" | "suspended", "active" | "suspended" | undefined, "active" | "suspended">;
  email_verified_at: NullableTimestamp;
  failed_login_count: ColumnType<number, number | undefined, number>;
  locked_until: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserRolesTable {
  tenant_id: TenantId;
  user_id: string;
  role: Role;
  granted_at: Timestamp;
}

export interface PasswordHistoryTable {
  tenant_id: TenantId;
  id: Id;
  user_id: string;
  password_hash: string;
  created_at: Timestamp;
}

export interface SessionsTable {
  tenant_id: TenantId;
  id_hash: string;
  user_id: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
}

export interface AuthTokensTable {
  tenant_id: TenantId;
  id: Id;
  user_id: string;
  purpose: TokenPurpose;
  token_hash: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface MessagesTable {
  tenant_id: TenantId;
  id: Id;
  channel: ColumnType<"email" | "sms" | "whatsapp", "email" | "sms" | "whatsapp" | undefined, never>;
  template: string;
  recipient: string;
  subject: string | null;
  body_text: string;
  body_html: string | null;
  status: ColumnType<MessageStatus, MessageStatus | undefined, MessageStatus>;
  provider: string | null;
  provider_message_id: string | null;
  error: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
}

export interface AuditLogTable {
  tenant_id: TenantId;
  id: ColumnType<number, never, never>;
  actor_user_id: string | null;
  actor_operator_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  details: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export type Frequency = "annual" | "semi_annual" | "quarterly" | "monthly";
type Bool = ColumnType<boolean, boolean | undefined, boolean>;
type Int = ColumnType<number, number | undefined, number>;

export interface CountersTable {
  tenant_id: TenantId;
  series: string;
  period: ColumnType<string, string | undefined, string>;
  value: Int;
}

export interface InsurersTable {
  tenant_id: TenantId;
  id: Id;
  slug: string;
  name: string;
  logo_url: string | null;
  // numeric comes back as a string; parse where shown.
  rating: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  description: ColumnType<string, string | undefined, string>;
  contact: Json<Record<string, string>>;
  commission_rate_bp: Int;
  active: Bool;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CategoriesTable {
  tenant_id: TenantId;
  id: Id;
  slug: string;
  name: string;
  icon: ColumnType<string, string | undefined, string>;
  description: ColumnType<string, string | undefined, string>;
  display_order: Int;
  active: Bool;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CoverageItem {
  label: string;
  value: string;
}

export interface ProductsTable {
  tenant_id: TenantId;
  id: Id;
  slug: string;
  category_id: string;
  insurer_id: string;
  name: string;
  summary: ColumnType<string, string | undefined, string>;
  description: ColumnType<string, string | undefined, string>;
  coverage: Json<CoverageItem[]>;
  features: Json<string[]>;
  inclusions: Json<string[]>;
  exclusions: Json<string[]>;
  waiting_period_days: Int;
  max_cover_minor: number | null;
  rating: Json<unknown>;
  sample_input: Json<Record<string, unknown>>;
  starting_price_minor: number;
  requires_underwriting: Bool;
  featured: Bool;
  active: Bool;
  quote_count: Int;
  review_count: Int;
  review_average: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  search: ColumnType<string, never, never>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProductFaqsTable {
  tenant_id: TenantId;
  id: Id;
  product_id: string;
  question: string;
  answer: string;
  position: Int;
}

export interface ReviewsTable {
  tenant_id: TenantId;
  id: Id;
  product_id: string;
  user_id: string;
  rating: number;
  title: ColumnType<string, string | undefined, string>;
  body: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
}

export interface QuotesTable {
  tenant_id: TenantId;
  id: Id;
  reference: string;
  product_id: string;
  user_id: string | null;
  inputs: Json<Record<string, unknown>>;
  breakdown: Json<unknown>;
  frequency: Frequency;
  premium_minor: number;
  total_minor: number;
  currency: string;
  valid_until: Timestamp;
  created_at: Timestamp;
}

export interface CartsTable {
  tenant_id: TenantId;
  id: Id;
  user_id: string | null;
  status: ColumnType<"open" | "merged" | "checked_out", "open" | "merged" | "checked_out" | undefined, "open" | "merged" | "checked_out">;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CartItemsTable {
  tenant_id: TenantId;
  id: Id;
  cart_id: string;
  quote_id: string;
  added_at: Timestamp;
}

export interface Database {
  tenants: TenantsTable;
  tenant_domains: TenantDomainsTable;
  platform_operators: PlatformOperatorsTable;
  platform_operator_password_history: PlatformOperatorPasswordHistoryTable;
  platform_sessions: PlatformSessionsTable;
  platform_audit_log: PlatformAuditLogTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  password_history: PasswordHistoryTable;
  sessions: SessionsTable;
  auth_tokens: AuthTokensTable;
  messages: MessagesTable;
  audit_log: AuditLogTable;
  counters: CountersTable;
  insurers: InsurersTable;
  categories: CategoriesTable;
  products: ProductsTable;
  product_faqs: ProductFaqsTable;
  reviews: ReviewsTable;
  quotes: QuotesTable;
  carts: CartsTable;
  cart_items: CartItemsTable;
}

export type Tenant = Selectable<TenantsTable>;
export type NewTenant = Insertable<TenantsTable>;
export type TenantUpdate = Updateable<TenantsTable>;
export type User = Selectable<UsersTable>;
export type Message = Selectable<MessagesTable>;
