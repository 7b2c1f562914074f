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
export type Role = "customer" | "agent" | "staff" | "assessor" | "claims_manager" | "underwriter" | "admin";
export type TokenPurpose = "verify_email" | "reset_password" | "invite";
/** `suppressed`: the recipient turned the message's topic off for its channel; kept, never sent (decision 032). */
export type MessageStatus = "queued" | "sent" | "delivered" | "outbox" | "failed" | "suppressed";
/** Every channel a message can go out on (issue 14); `in_app` is the notification centre. */
export type MessageChannel = "email" | "sms" | "whatsapp" | "in_app";
/** What a message is about, for preferences and opt-outs (migration 0026, decision 036). */
export type MessageCategory =
  "security" | "account" | "payments" | "policy_changes" | "renewals" | "claims" | "network" | "marketing" | "alerts";
/** The languages the product speaks (issue 14). */
export type Language = "en" | "sw" | "ms";

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
  /** The languages the tenant offers and the one a visitor gets by default (migration 0026). */
  languages: ColumnType<Language[], Language[] | undefined, Language[]>;
  default_language: ColumnType<Language, Language | undefined, Language>;
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
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The sign-in lockout of an operator, per client network (decision 012). */
export interface PlatformSignInFailuresTable {
  operator_id: string;
  client: string;
  failed_count: ColumnType<number, number | undefined, number>;
  locked_until: NullableTimestamp;
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
  created_at: Timestamp;
  updated_at: Timestamp;
  /** When the person closed their account (migration 0025): no personal data is left on the row. */
  closed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The language the person chose (migration 0026); null: the tenant's default. */
  language: ColumnType<Language | null, Language | null | undefined, Language | null>;
}

/** The sign-in lockout of an account, per client network (decision 012). */
export interface SignInFailuresTable {
  tenant_id: TenantId;
  user_id: string;
  client: string;
  failed_count: ColumnType<number, number | undefined, number>;
  locked_until: NullableTimestamp;
  updated_at: Timestamp;
}

/** Rate-limit counts per limit, hashed client key and fixed window; no tenant's data (decision 012). */
export interface RateLimitBucketsTable {
  limit_name: string;
  key_hash: string;
  window_start: Date;
  window_end: Date;
  hits: number;
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
  channel: ColumnType<MessageChannel, MessageChannel | undefined, never>;
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
  /** One email per business event: a second message with the same key is never written. */
  dedupe_key: ColumnType<string | null, string | null | undefined, never>;
  attachments: Json<MessageAttachment[]>;
  // Migration 0026 (issue 14):
  /** Who it is for, when they have an account; an in-app message always has one. */
  user_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The catalogue event that wrote it (app/modules/notifications/events.ts), or null for older rows. */
  event: ColumnType<string | null, string | null | undefined, never>;
  category: ColumnType<MessageCategory | null, MessageCategory | null | undefined, never>;
  language: ColumnType<Language | null, Language | null | undefined, never>;
  /** In-app: the page the notification is about. */
  link: ColumnType<string | null, string | null | undefined, never>;
  read_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  delivered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  failed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  provider_status: ColumnType<string | null, string | null | undefined, string | null>;
  segments: ColumnType<number | null, number | null | undefined, number | null>;
  encoding: ColumnType<"gsm7" | "ucs2" | null, "gsm7" | "ucs2" | null | undefined, "gsm7" | "ucs2" | null>;
  broadcast_id: ColumnType<string | null, string | null | undefined, never>;
  /** Quiet hours: not sent before this instant. */
  send_after: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** WhatsApp only: the template's values, sent with its approved name. */
  variables: ColumnType<Record<string, string> | null, string | null | undefined, never>;
}

/** A message's history, one row per change of state (migration 0026). */
export interface MessageEventsTable {
  tenant_id: TenantId;
  id: ColumnType<number, never, never>;
  message_id: string;
  status: string;
  detail: string | null;
  provider_status: string | null;
  created_at: Timestamp;
}

export type MessagingProviderName = "outbox" | "resend" | "smtp" | "africastalking" | "twilio" | "meta_whatsapp";

/** A tenant's provider for one channel; its configuration is encrypted as a whole. */
export interface MessagingProvidersTable {
  tenant_id: TenantId;
  channel: "email" | "sms" | "whatsapp";
  provider: MessagingProviderName;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  mode: ColumnType<"test" | "live", "test" | "live" | undefined, "test" | "live">;
  sender: string | null;
  config_ciphertext: string;
  callback_token: ColumnType<string, string | undefined, string>;
  updated_at: Timestamp;
}

/** An agency's wording for one event, channel and language; append-only versions. */
export interface MessageTemplatesTable {
  tenant_id: TenantId;
  id: Id;
  event: string;
  channel: MessageChannel;
  language: Language;
  version: number;
  subject: string | null;
  body: string | null;
  reset: ColumnType<boolean, boolean | undefined, never>;
  created_by: string | null;
  created_at: Timestamp;
}

export interface MessageOptOutsTable {
  tenant_id: TenantId;
  channel: "email" | "sms" | "whatsapp";
  address: string;
  category: ColumnType<MessageCategory | "all", MessageCategory | "all" | undefined, never>;
  source: "stop_reply" | "unsubscribe_link" | "staff";
  created_at: Timestamp;
}

export interface MessagingSettingsTable {
  tenant_id: TenantId;
  /** "HH:MM:SS" in the tenant's time zone; both or neither. */
  quiet_hours_start: string | null;
  quiet_hours_end: string | null;
  broadcast_rate_per_minute: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
}

export interface BroadcastsTable {
  tenant_id: TenantId;
  id: Id;
  title: string;
  channel: MessageChannel;
  segment: Json<Record<string, unknown>>;
  subject: string | null;
  body: string;
  status: ColumnType<
    "draft" | "queued" | "sending" | "sent" | "cancelled",
    "draft" | "queued" | "sending" | "sent" | "cancelled" | undefined,
    "draft" | "queued" | "sending" | "sent" | "cancelled"
  >;
  recipient_count: number | null;
  created_by: string;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

/** One open row per incident (kind + incident_key); repeats count occurrences. */
export interface AlertsTable {
  tenant_id: TenantId;
  id: Id;
  kind: string;
  incident_key: string;
  title: string;
  detail: string | null;
  occurrences: ColumnType<number, number | undefined, number>;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  resolved_at: NullableTimestamp;
  resolved_by: string | null;
}

export interface PlatformAlertsTable {
  id: Id;
  kind: string;
  incident_key: string;
  about_tenant: string | null;
  title: string;
  detail: string | null;
  occurrences: ColumnType<number, number | undefined, number>;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  resolved_at: NullableTimestamp;
  resolved_by: string | null;
}

/** A file sent with an email: read from the file store when the message is delivered. */
export interface MessageAttachment {
  filename: string;
  fileKey: string;
  contentType: string;
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
  /** What kind of claims the category's policies produce (app/modules/claims/rules.ts). */
  claim_family: ColumnType<ClaimFamily | null, ClaimFamily | null | undefined, ClaimFamily | null>;
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
  requirements: Json<ProductRequirements>;
  claim_rules: Json<ProductClaimRules>;
  /** The product's rules after the sale (app/modules/policies/lifecycle.ts). */
  lifecycle: Json<Record<string, unknown>>;
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
  /** A renewal quote: the policy it renews (issue 13, migration 0019). */
  renewal_of_policy_id: ColumnType<string | null, string | null | undefined, string | null>;
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

/** What checkout asks for a product, besides the tenant's identifiers (products.requirements). */
export interface ProductRequirements {
  /** Beneficiaries with shares summing to 100% (life, hibah). */
  beneficiaries?: boolean;
  /** Documents to upload before paying: logbook, passport … */
  documents?: { code: string; label: string }[];
  /** The quote input that gives the cover's length in days (a trip), instead of a year. */
  coverDaysFrom?: string;
}

export type ProviderName = "mpesa" | "paystack" | "stripe" | "sandbox" | "curlec" | "paypal";
/** How a customer pays online: FPX (Malaysian online banking) and e-wallets through Curlec (issue 15). */
export type PaymentMethod = "mpesa" | "card" | "fpx" | "ewallet" | "paypal";
/** A payment is taken by a provider, or collected offline by an agent for staff to confirm. */
export type TransactionProvider = ProviderName | "offline";
export type OfflineMethod = "cash" | "bank_transfer";
export type TransactionMethod = PaymentMethod | OfflineMethod;
export type OrderStatus = "draft" | "paid" | "cancelled";
export type OrderStep = "details" | "plan" | "review" | "payment";
export type TransactionStatus = "pending" | "completed" | "failed" | "cancelled" | "expired" | "partially_refunded" | "refunded";
export type PolicyStatus =
  "quoted" | "pending_payment" | "pending_underwriting" | "active" | "grace" | "lapsed" | "declined" | "cancelled" | "expired";
export type InstalmentStatus = "scheduled" | "due" | "overdue" | "paid" | "written_off" | "cancelled";
export type RefundStatus = "requested" | "pending" | "completed" | "refused";

/** The policyholder as checkout collected them (identifiers live encrypted in personal_identifiers). */
export interface OrderHolder {
  name?: string;
  email?: string;
  phone?: string;
  dateOfBirth?: string;
  address?: string;
}

export interface PolicyRulesTable {
  tenant_id: TenantId;
  grace_days: number;
  reinstatement_days: number;
  reminder_days: number;
  /** Days before a policy's end date that renewal offers go out (issue 13). */
  renewal_offer_days: ColumnType<number[], number[] | undefined, number[]>;
  free_look_days: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
}

export interface PaymentProvidersTable {
  tenant_id: TenantId;
  provider: ProviderName;
  enabled: Bool;
  mode: "test" | "live";
  config_ciphertext: string;
  updated_at: Timestamp;
}

export type SavedMethodProvider = "stripe" | "paystack" | "sandbox" | "curlec";

/** A card a customer chose to keep (issue 13, decision 029): the provider's reusable reference, encrypted. */
export interface PaymentMethodsTable {
  tenant_id: TenantId;
  id: Id;
  user_id: string;
  provider: SavedMethodProvider;
  reference_ciphertext: string;
  fingerprint: string;
  brand: string | null;
  last4: string | null;
  exp_month: number | null;
  exp_year: number | null;
  is_default: Bool;
  created_at: Timestamp;
  updated_at: Timestamp;
  removed_at: NullableTimestamp;
  /** Migration 0028 (decision 046): a card, or an e-mandate on a bank account. */
  kind: ColumnType<PaymentMethodKind, PaymentMethodKind | undefined, PaymentMethodKind>;
  mandate_status: ColumnType<MandateStatus | null, MandateStatus | null | undefined, MandateStatus | null>;
  max_amount_minor: ColumnType<number | null, number | null | undefined, number | null>;
  expires_on: ColumnType<string | null, string | null | undefined, string | null>;
  bank_name: ColumnType<string | null, string | null | undefined, string | null>;
  provider_ref: ColumnType<string | null, string | null | undefined, string | null>;
  mandate_ref_hash: ColumnType<string | null, string | null | undefined, string | null>;
  policy_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export type PaymentMethodKind = "card" | "mandate";
export type MandateStatus = "pending" | "active" | "paused" | "cancelled" | "expired" | "rejected";

export interface OrdersTable {
  tenant_id: TenantId;
  id: Id;
  reference: string;
  user_id: string;
  cart_id: string | null;
  status: ColumnType<OrderStatus, OrderStatus | undefined, OrderStatus>;
  step: ColumnType<OrderStep, OrderStep | undefined, OrderStep>;
  holder: Json<OrderHolder>;
  payment_method: PaymentMethod | null;
  payment_phone: string | null;
  terms_accepted_at: NullableTimestamp;
  origin: string | null;
  currency: string;
  /** The agent the sale is credited to (tier 1), if any. */
  agent_id: string | null;
  paid_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OrderItemsTable {
  tenant_id: TenantId;
  id: Id;
  order_id: string;
  quote_id: string;
  product_id: string;
  position: number;
  /** Frozen when payment starts (null before). */
  frequency: Frequency | null;
  instalments_per_year: number | null;
  first_payment_minor: number | null;
  later_instalment_minor: number | null;
  annual_premium_minor: number | null;
  levies_minor: number | null;
  discount_minor: number | null;
}

export interface PersonalIdentifiersTable {
  tenant_id: TenantId;
  id: Id;
  order_id: string;
  kind: "national_id" | "kra_pin" | "nric" | "bank_account";
  ciphertext: string;
  blind_index: string;
  masked: string;
  created_at: Timestamp;
}

export interface BeneficiariesTable {
  tenant_id: TenantId;
  id: Id;
  order_id: string;
  position: number;
  name: string;
  relationship: string;
  share_bp: number;
}

export interface UploadsTable {
  tenant_id: TenantId;
  id: Id;
  order_id: string;
  requirement: string;
  file_key: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  created_at: Timestamp;
}

export interface PoliciesTable {
  tenant_id: TenantId;
  id: Id;
  order_item_id: string;
  order_id: string;
  user_id: string;
  product_id: string;
  quote_id: string;
  policy_number: string | null;
  status: PolicyStatus;
  frequency: Frequency;
  instalment_minor: number;
  annual_premium_minor: number;
  discount_minor: Int;
  currency: string;
  start_date: ColumnType<string | null, string | null | undefined, string | null>;
  end_date: ColumnType<string | null, string | null | undefined, string | null>;
  verification_code: string;
  certificate_file_key: string | null;
  decline_reason: string | null;
  issued_at: NullableTimestamp;
  grace_started_on: ColumnType<string | null, string | null | undefined, string | null>;
  lapsed_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** The policy this one renews (issue 13); a policy is renewed once at most. */
  renewal_of_policy_id: string | null;
  auto_renew: Bool;
  cancelled_on: ColumnType<string | null, string | null | undefined, string | null>;
  cancellation_reason: string | null;
  /** The latest applied version (policy_versions). */
  current_version: ColumnType<number, number | undefined, number>;
  /** Instalments are charged automatically to this saved method (migration 0020); null is off. */
  autodebit_method_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type PolicyVersionKind = "issue" | "endorsement" | "cancellation" | "reinstatement" | "reversal";
export type PolicyVersionStatus = "pending" | "applied" | "void";

/** A dated, priced change to a policy (issue 13, decision 027). */
export interface PolicyVersionsTable {
  tenant_id: TenantId;
  id: Id;
  policy_id: string;
  version: number;
  kind: PolicyVersionKind;
  effective_date: ColumnType<string, string, string>;
  /** Premium added (positive) or returned (negative), minor units. */
  premium_delta_minor: ColumnType<number, number | undefined, number>;
  annual_premium_minor: number;
  currency: string;
  inputs: Json<Record<string, unknown>>;
  summary: string;
  reason: string | null;
  reverses_version: number | null;
  status: ColumnType<PolicyVersionStatus, PolicyVersionStatus | undefined, PolicyVersionStatus>;
  certificate_file_key: string | null;
  /** A cancellation's letter (PDF, migration 0021). */
  letter_file_key: ColumnType<string | null, string | null | undefined, string | null>;
  /** A cancellation's refund as worked out when it was made (app/modules/cancellations, migration 0021). */
  refund_basis: ColumnType<unknown | null, string | null | undefined, string | null>;
  created_by: string | null;
  created_at: Timestamp;
}

/** One renewal offer per policy and offer day (issue 13, decision 028). */
export interface RenewalOffersTable {
  tenant_id: TenantId;
  policy_id: string;
  offer_days: number;
  quote_id: string | null;
  /** Auto-renew: the renewal order charged to the saved payment method. */
  order_id: string | null;
  created_at: Timestamp;
}

export interface InstalmentsTable {
  tenant_id: TenantId;
  id: Id;
  policy_id: string;
  sequence: number;
  due_date: ColumnType<string, string, string>;
  amount_minor: number;
  status: ColumnType<InstalmentStatus, InstalmentStatus | undefined, InstalmentStatus>;
  paid_at: NullableTimestamp;
  transaction_id: string | null;
}

export interface TransactionsTable {
  tenant_id: TenantId;
  id: Id;
  order_id: string | null;
  instalment_id: string | null;
  user_id: string;
  provider: TransactionProvider;
  method: TransactionMethod;
  mode: "test" | "live";
  status: ColumnType<TransactionStatus, TransactionStatus | undefined, TransactionStatus>;
  amount_minor: number;
  refunded_minor: Int;
  currency: string;
  provider_ref: string | null;
  provider_receipt: string | null;
  callback_token_hash: string | null;
  phone_masked: string | null;
  customer_action: Json<unknown> | null;
  failure_code: string | null;
  failure_message: string | null;
  completed_at: NullableTimestamp;
  /** An offline payment: the agent who recorded it. */
  recorded_by: string | null;
  /** A payment of a policy version's additional premium (issue 13). */
  policy_version_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The customer asked to keep the card this payment is made with (migration 0020). */
  save_method: Bool;
  /** Migration 0028: the FPX bank or e-wallet picked for this payment. */
  bank_code: ColumnType<string | null, string | null | undefined, string | null>;
  /** An off-session charge of this saved method: one per instalment or order at most. */
  payment_method_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** What the provider reported about the money beyond the amount: PayPal's conversion (migration 0030). */
  provider_details: Json<Record<string, string> | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type GatewayLogKind = "initiate" | "query" | "capture" | "refund" | "callback" | "rejected_callback" | "payout" | "payout_result";

export interface GatewayLogTable {
  tenant_id: TenantId;
  id: Id;
  transaction_id: string | null;
  /** A claim settlement's payout exchanges (migration 0012). */
  settlement_id: ColumnType<string | null, string | null | undefined, never>;
  /** A commission payout's exchanges (migration 0029). */
  payout_id: ColumnType<string | null, string | null | undefined, never>;
  provider: string;
  kind: GatewayLogKind;
  request: Json<unknown> | null;
  response: Json<unknown> | null;
  raw_body: string | null;
  duration_ms: number | null;
  created_at: Timestamp;
}

export type ProviderEventKind = "payment" | "refund" | "dispute" | "payout" | "mandate";

export interface ProviderEventsTable {
  tenant_id: TenantId;
  id: Id;
  provider: ProviderName;
  provider_event_id: string;
  kind: ProviderEventKind;
  event: Json<unknown>;
  transaction_id: string | null;
  /** A payout's result for a claim settlement (migration 0014). */
  settlement_id: ColumnType<string | null, string | null | undefined, never>;
  /** A payout's result for a commission payout (migration 0029). */
  payout_id: ColumnType<string | null, string | null | undefined, never>;
  received_at: Timestamp;
  deliveries: Int;
  processed_at: NullableTimestamp;
  outcome: string | null;
}

export interface RefundsTable {
  tenant_id: TenantId;
  id: Id;
  transaction_id: string;
  amount_minor: number;
  reason: string;
  status: ColumnType<RefundStatus, RefundStatus | undefined, RefundStatus>;
  provider_refund_ref: string | null;
  callback_token_hash: string | null;
  failure_message: string | null;
  requested_by: string | null;
  policy_id: string | null;
  /** The policy version whose returned premium this refund carries (issue 13). */
  policy_version_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  completed_at: NullableTimestamp;
}

export type ChargebackStatus = "open" | "won" | "lost";

/** A cardholder's dispute of a payment, as its provider reports it; moves forward only (open → won | lost). */
export interface ChargebacksTable {
  tenant_id: TenantId;
  id: Id;
  transaction_id: string;
  provider: ProviderName;
  provider_dispute_ref: string;
  amount_minor: number;
  currency: string;
  reason: string | null;
  status: ColumnType<ChargebackStatus, ChargebackStatus | undefined, ChargebackStatus>;
  provider_status: string | null;
  opened_at: Timestamp;
  respond_by: NullableTimestamp;
  closed_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReceiptsTable {
  tenant_id: TenantId;
  id: Id;
  receipt_number: string;
  transaction_id: string;
  file_key: string | null;
  created_at: Timestamp;
}

export interface StateChangesTable {
  tenant_id: TenantId;
  id: Id;
  entity: string;
  entity_id: string;
  from_state: string | null;
  to_state: string;
  event: string;
  reason: string | null;
  actor_user_id: string | null;
  created_at: Timestamp;
}

// ── Agent network and commissions (migration 0005) ─────────────────────────────────────────

type DateOnly = ColumnType<string, string, string>;

export type AgentStatus = "pending" | "active" | "suspended" | "rejected" | "terminated";
export type UnqualifiedShare = "skip" | "pass_up" | "compress";

export interface NetworkSettingsTable {
  tenant_id: TenantId;
  tiers: ColumnType<number, number | undefined, number>;
  unqualified_share: ColumnType<UnqualifiedShare, UnqualifiedShare | undefined, UnqualifiedShare>;
  close_day: ColumnType<number, number | undefined, number>;
  auto_close: ColumnType<boolean, boolean | undefined, boolean>;
  /** The bank whose bulk-payment file the agency uploads, and the account it pays from (migration 0029). */
  bank_file_format: BankFileFormat | null;
  payer_name: string | null;
  payer_account: string | null;
  updated_at: Timestamp;
}

export type BankFileFormat = "maybank2u_biz" | "cimb_bizchannel";
export type DuitNowProxyType = "mobile" | "nric";

export interface AgentsTable {
  tenant_id: TenantId;
  id: Id;
  user_id: string;
  agent_number: string;
  referral_code: string;
  sponsor_id: string | null;
  status: ColumnType<AgentStatus, AgentStatus | undefined, AgentStatus>;
  status_reason: string | null;
  phone: string | null;
  phone_verified_at: NullableTimestamp;
  bank_name: string | null;
  bank_account_ciphertext: string | null;
  bank_account_blind_index: string | null;
  bank_account_masked: string | null;
  bank_account_holder: string | null;
  /** DuitNow by proxy instead of the account number (migration 0029); the proxy encrypted like the account. */
  duitnow_proxy_type: DuitNowProxyType | null;
  duitnow_proxy_ciphertext: string | null;
  duitnow_proxy_masked: string | null;
  /** The agency's rank the agent holds now (migration 0038): who earns a team bonus. */
  rank_id: ColumnType<string | null, string | null | undefined, string | null>;
  approved_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** An agency's own rank (migration 0038, decision 048), ordered by position. */
export interface AgentRanksTable {
  tenant_id: TenantId;
  id: Id;
  code: string;
  name: string;
  position: number;
  created_at: Timestamp;
}

export type BonusKind = "performance" | "team";

/** A version of a bonus (`series_id`), in force from its month until the series' next (migration 0038). Never updated. */
export interface CommissionBonusRulesTable {
  tenant_id: TenantId;
  id: Id;
  series_id: string;
  name: string;
  kind: BonusKind;
  effective_from: DateOnly;
  stopped: ColumnType<boolean, boolean | undefined, never>;
  threshold_minor: number | null;
  amount_minor: number | null;
  rate_bp: number | null;
  rank_id: string | null;
  levels: number | null;
  created_by: string | null;
  created_at: Timestamp;
}

export interface AgentUplinesTable {
  tenant_id: TenantId;
  agent_id: string;
  upline_id: string;
  /** 1 = the sponsor, 2 = the sponsor's sponsor, … */
  depth: number;
}

export interface AgentSponsorChangesTable {
  tenant_id: TenantId;
  id: Id;
  agent_id: string;
  from_sponsor_id: string | null;
  to_sponsor_id: string | null;
  reason: string;
  changed_by: string | null;
  created_at: Timestamp;
}

export interface PhoneVerificationsTable {
  tenant_id: TenantId;
  id: Id;
  agent_id: string;
  phone: string;
  code_hash: string;
  attempts: Int;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: Timestamp;
}

export type MemberStatus = "active" | "pending" | "suspended" | "terminated";

export interface MembersTable {
  tenant_id: TenantId;
  id: Id;
  agent_id: string;
  user_id: string;
  name: string;
  nric_ciphertext: string;
  nric_blind_index: string;
  nric_masked: string;
  race: string;
  relationship_with_agent: string;
  emergency_contact_name: string;
  emergency_contact_phone: string;
  emergency_contact_relationship: string;
  status: ColumnType<MemberStatus, MemberStatus | undefined, MemberStatus>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type CommissionRuleKind = "fixed" | "percent";

/** A version of one product's commission at one frequency: in force from its instant until the next version's. */
export interface CommissionRuleVersionsTable {
  tenant_id: TenantId;
  id: Id;
  product_id: string;
  frequency: Frequency;
  effective_at: ColumnType<Date, Date | string, never>;
  created_by: string | null;
  created_at: Timestamp;
}

/** One tier of a version (a version without tiers pays nothing). */
export interface CommissionRulesTable {
  tenant_id: TenantId;
  id: Id;
  version_id: string;
  product_id: string;
  frequency: Frequency;
  tier: number;
  kind: CommissionRuleKind;
  amount_minor: number | null;
  rate_bp: number | null;
  cap_minor: number | null;
  requires_active: ColumnType<boolean, boolean | undefined, boolean>;
  min_personal_sales: Int;
}

export interface CommissionMonthsTable {
  tenant_id: TenantId;
  month: DateOnly;
  closed_at: Timestamp;
  closed_by: string | null;
  entries_count: number;
  agents_count: number;
  total_minor: number;
  currency: string;
}

export type PayoutBatchStatus = "open" | "paid";

export interface PayoutBatchesTable {
  tenant_id: TenantId;
  id: Id;
  month: DateOnly;
  reference: string;
  status: ColumnType<PayoutBatchStatus, PayoutBatchStatus | undefined, PayoutBatchStatus>;
  payouts_count: number;
  total_minor: number;
  currency: string;
  created_at: Timestamp;
  paid_at: NullableTimestamp;
  paid_by: string | null;
}

export interface PayoutsTable {
  tenant_id: TenantId;
  id: Id;
  batch_id: string;
  agent_id: string;
  amount_minor: number;
  /** Paying the line through a payout provider (migration 0029, decision 047): set when staff start it. */
  reference: string | null;
  method: "mpesa_b2c" | "sandbox" | null;
  status: ColumnType<CommissionPayoutStatus, CommissionPayoutStatus | undefined, CommissionPayoutStatus>;
  attempt: ColumnType<number, number | undefined, number>;
  provider_ref: string | null;
  receipt: string | null;
  payee_phone: string | null;
  sent_at: NullableTimestamp;
  failure_code: string | null;
  failure_message: string | null;
  needs_attention: string | null;
  callback_token_hash: string | null;
  updated_at: NullableTimestamp;
}

export type CommissionPayoutStatus = "open" | "processing" | "paid" | "failed";

export interface CommissionStatementsTable {
  tenant_id: TenantId;
  id: Id;
  month: DateOnly;
  agent_id: string;
  earned_minor: number;
  payable_minor: number;
  entries_count: number;
  file_key: string | null;
  /**
   * The payout that pays this agent-month's entries: the close's own, or a later close's when the
   * balance was carried over (migration 0037). Null: not paid out yet.
   */
  payout_id: string | null;
  created_at: Timestamp;
}

/** Why a share did not go to the agent in its tier's place (pass up, compress). */
export type MovedReason = "inactive" | "below_min_sales";

export type CommissionEntryKind = "earning" | "clawback" | "cap" | "adjustment" | "performance_bonus" | "team_bonus";
export type CommissionEntryStatus = "pending" | "approved" | "disputed" | "paid" | "adjusted";

export interface CommissionEntriesTable {
  tenant_id: TenantId;
  id: Id;
  kind: CommissionEntryKind;
  agent_id: string;
  month: DateOnly;
  amount_minor: number;
  currency: string;
  transaction_id: string | null;
  order_item_id: string | null;
  product_id: string | null;
  frequency: Frequency | null;
  tier: number | null;
  rule_id: string | null;
  seller_agent_id: string | null;
  passed_from_agent_id: string | null;
  /** Why an earning went past `passed_from_agent_id` to this agent (migration 0034). */
  moved_reason: ColumnType<MovedReason | null, MovedReason | null | undefined, never>;
  base_minor: number | null;
  rate_bp: number | null;
  earned_at: Timestamp;
  refund_id: string | null;
  /** A clawback for a lost chargeback (refund_id is null then). */
  chargeback_id: string | null;
  reverses_entry_id: string | null;
  /** What a running cap kept back from this earning (migration 0036); null when nothing was. */
  withheld_minor: number | null;
  withheld_reason: "cap" | null;
  /** A bonus, or a bonus's clawback: the bonus version (migration 0038); a team bonus also the levels it counted. */
  bonus_rule_id: ColumnType<string | null, string | null | undefined, never>;
  bonus_levels: ColumnType<number | null, number | null | undefined, never>;
  note: string | null;
  created_by: string | null;
  created_at: Timestamp;
}

/**
 * An entry with its workflow state, derived from its agent-month's statement, its dispute and its
 * payout's batch (the view of migration 0037): entries themselves never change.
 */
export interface CommissionEntryStatesView extends Omit<CommissionEntriesTable, "id" | "tenant_id" | "created_at" | "moved_reason"> {
  tenant_id: string;
  id: string;
  created_at: Date;
  moved_reason: MovedReason | null;
  status: CommissionEntryStatus;
  statement_id: string | null;
  payout_id: string | null;
}

/** Per month, agent and capped rule: what the ledger has paid so far (migration 0036, decision 011). */
export interface CommissionCapUsageTable {
  tenant_id: TenantId;
  month: DateOnly;
  agent_id: string;
  rule_id: string;
  paid_minor: ColumnType<number, number | undefined, number>;
}

export type DisputeStatus = "open" | "rejected" | "adjusted";

export interface CommissionDisputesTable {
  tenant_id: TenantId;
  id: Id;
  entry_id: string;
  agent_id: string;
  status: ColumnType<DisputeStatus, DisputeStatus | undefined, DisputeStatus>;
  reason: string;
  resolution: string | null;
  adjusting_entry_id: string | null;
  resolved_by: string | null;
  resolved_at: NullableTimestamp;
  /** The payout the entry's agent-month went into while this dispute held the entry back (0037). */
  held_from_payout_id: string | null;
  /** The later payout that paid the held-back entry once the dispute was rejected. */
  payout_id: string | null;
  created_at: Timestamp;
}

export interface CommissionDisputeMessagesTable {
  tenant_id: TenantId;
  id: Id;
  dispute_id: string;
  author_user_id: string;
  body: string;
  created_at: Timestamp;
}

// ── Claims, facilities and workflows (migration 0012, decision 020) ─────────────────────────

export type ClaimFamily = "motor" | "medical" | "life" | "travel" | "home";

/** A product's claim rules as data; what is absent falls back to the claim family's defaults. */
export interface ProductClaimRules {
  /** Days from the policy's start before a claim of this type is covered (default: waiting_period_days). */
  waitingDays?: Record<string, number>;
  /** What a policy year pays at most, all claims together (minor units); absent = no yearly limit. */
  annualLimitMinor?: number;
  /** Deducted from each approved claim (minor units). */
  excessMinor?: number;
  /** Documents each claim type needs: { accident: [{ code, label }] }. */
  documents?: Record<string, { code: string; label: string }[]>;
}

export type FacilityKind = "hospital" | "clinic";

export interface FacilitiesTable {
  tenant_id: TenantId;
  id: Id;
  name: string;
  kind: FacilityKind;
  address: ColumnType<string, string | undefined, string>;
  city: string;
  state: string;
  postcode: ColumnType<string, string | undefined, string>;
  phone: ColumnType<string, string | undefined, string>;
  email: ColumnType<string, string | undefined, string>;
  panel: Bool;
  services: ColumnType<string[], string[] | undefined, string[]>;
  status: ColumnType<"active" | "inactive", "active" | "inactive" | undefined, "active" | "inactive">;
  search: ColumnType<string, never, never>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ClaimSettingsTable {
  tenant_id: TenantId;
  four_eyes_minor: Int;
  appeal_days: Int;
  grace_cover_days: Int;
  auto_assign: Bool;
  updated_at: Timestamp;
}

export type ClaimStatus =
  | "submitted"
  | "under_review"
  | "documents_requested"
  | "assessment_complete"
  | "approved"
  | "rejected"
  | "appealed"
  | "settled"
  | "withdrawn";
export type ClaimDecision = "approved" | "partially_approved" | "rejected";
export type ClaimRecommendation = "approve" | "reject";

/** Why the system flagged a claim when it was filed (it is filed anyway, never silently refused). */
export interface EligibilityFlag {
  code: string;
  message: string;
}

export interface ClaimsTable {
  tenant_id: TenantId;
  id: Id;
  claim_number: string;
  policy_id: string;
  claimant_user_id: string;
  member_id: string | null;
  filed_by_user_id: string;
  claim_type: string;
  incident_date: DateOnly;
  incident_place: string;
  description: string;
  claimed_minor: number;
  currency: string;
  facility_id: string | null;
  status: ColumnType<ClaimStatus, ClaimStatus | undefined, ClaimStatus>;
  eligibility_flags: Json<EligibilityFlag[]>;
  policy_year_start: DateOnly;
  assessor_user_id: string | null;
  assessed_by: string | null;
  assessed_at: NullableTimestamp;
  approved_minor: number | null;
  excess_minor: number | null;
  payable_minor: number | null;
  reason_codes: ColumnType<string[], string[] | undefined, string[]>;
  decision: ClaimDecision | null;
  decision_note: string | null;
  decided_at: NullableTimestamp;
  appealed_at: NullableTimestamp;
  appeal_reason: string | null;
  withdrawn_at: NullableTimestamp;
  withdrawal_reason: string | null;
  /** The assessor's recommendation (migration 0016): the approvers decide. */
  recommendation: ClaimRecommendation | null;
  /** Assessments completed so far: an appeal brings the claim back for another (sign-offs are per round). */
  assessment_round: Int;
  /** The rejection letter (PDF), rendered by a job once the claim is rejected (migration 0014). */
  decision_letter_file_key: ColumnType<string | null, string | null | undefined, string | null>;
  revision: Int;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ClaimRequestsTable {
  tenant_id: TenantId;
  id: Id;
  claim_id: string;
  message: string;
  documents: Json<{ code: string; label: string }[]>;
  requested_by: string;
  created_at: Timestamp;
  answered_at: NullableTimestamp;
  answer: string | null;
}

export type ClaimDocumentStatus = "pending" | "verified" | "rejected";

export interface ClaimDocumentsTable {
  tenant_id: TenantId;
  id: Id;
  claim_id: string;
  kind: string;
  request_id: string | null;
  file_key: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  status: ColumnType<ClaimDocumentStatus, ClaimDocumentStatus | undefined, ClaimDocumentStatus>;
  review_note: string | null;
  reviewed_by: string | null;
  reviewed_at: NullableTimestamp;
  uploaded_by: string;
  created_at: Timestamp;
}

/** A claim being filed through the wizard (migration 0015, decision 023): submitted, it becomes a claim. */
export type ClaimDraftStep = "incident" | "amount" | "documents" | "review";

export interface ClaimDraftAnswers {
  claimType?: string;
  incidentDate?: string;
  incidentPlace?: string;
  description?: string;
  claimedMinor?: number;
  currency?: string;
  /** A listed facility, or null for "not at a listed facility". */
  facilityId?: string | null;
}

export interface ClaimDraftsTable {
  tenant_id: TenantId;
  id: Id;
  user_id: string;
  policy_id: string;
  answers: Json<ClaimDraftAnswers>;
  step: ColumnType<ClaimDraftStep, ClaimDraftStep | undefined, ClaimDraftStep>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ClaimDraftDocumentsTable {
  tenant_id: TenantId;
  id: Id;
  draft_id: string;
  kind: string;
  file_key: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  created_at: Timestamp;
}

export interface ClaimNotesTable {
  tenant_id: TenantId;
  id: Id;
  claim_id: string;
  author_user_id: string;
  body: string;
  created_at: Timestamp;
}

export interface ClaimApprovalsTable {
  tenant_id: TenantId;
  claim_id: string;
  /** The claim's assessment round the sign-off is for (migration 0016). */
  round: ColumnType<number, number | undefined, number>;
  step: 1 | 2;
  approver_user_id: string;
  decision: ClaimDecision;
  payable_minor: number;
  note: string | null;
  created_at: Timestamp;
}

export type SettlementMethod = "mpesa_b2c" | "bank_transfer" | "manual" | "sandbox";
export type SettlementStatus = "pending" | "processing" | "paid" | "failed" | "cancelled";

export interface ClaimSettlementsTable {
  tenant_id: TenantId;
  id: Id;
  claim_id: string;
  reference: string;
  /** Chosen by staff on the settlement page; null while the settlement waits for them (migration 0014). */
  method: SettlementMethod | null;
  amount_minor: number;
  currency: string;
  status: ColumnType<SettlementStatus, SettlementStatus | undefined, SettlementStatus>;
  payee_name: string;
  payee_phone: string | null;
  payee_account_ciphertext: string | null;
  payee_account_masked: string | null;
  provider_ref: string | null;
  provider_receipt: string | null;
  manual_reference: string | null;
  failure_code: string | null;
  failure_message: string | null;
  letter_file_key: string | null;
  created_by: string | null;
  paid_at: NullableTimestamp;
  /** Payouts sent to a provider so far; each attempt's provider reference derives from it (migration 0014). */
  attempt: Int;
  callback_token_hash: string | null;
  /** When the current attempt went to the provider; null while it waits to be sent. */
  sent_at: NullableTimestamp;
  payee_bank: string | null;
  /** When a bank transfer first went out in a bank file. */
  exported_at: NullableTimestamp;
  /** What staff must look at before anything else happens (a timeout, an answer that does not fit). */
  needs_attention: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type WorkflowSubject = "claim" | "policy";
export type WorkflowStageKind = "automatic" | "waiting" | "manual" | "terminal";
export type WorkflowTaskStatus = "open" | "completed" | "timed_out" | "cancelled" | "failed";

export interface WorkflowTemplatesTable {
  tenant_id: TenantId;
  id: Id;
  subject: WorkflowSubject;
  scope: ColumnType<string, string | undefined, never>;
  claim_type: ColumnType<string, string | undefined, never>;
  version: ColumnType<number, number, never>;
  name: string;
  /** The stages (app/modules/workflows/templates.ts validates them). */
  definition: Json<unknown>;
  created_by: string | null;
  created_at: Timestamp;
}

export interface WorkflowInstancesTable {
  tenant_id: TenantId;
  id: Id;
  template_id: string;
  subject: WorkflowSubject;
  subject_id: string;
  current_stage: string;
  status: ColumnType<
    "active" | "completed" | "cancelled",
    "active" | "completed" | "cancelled" | undefined,
    "active" | "completed" | "cancelled"
  >;
  started_at: Timestamp;
  completed_at: NullableTimestamp;
}

export interface WorkflowTasksTable {
  tenant_id: TenantId;
  id: Id;
  instance_id: string;
  stage: string;
  kind: WorkflowStageKind;
  status: ColumnType<WorkflowTaskStatus, WorkflowTaskStatus | undefined, WorkflowTaskStatus>;
  required_role: string | null;
  assigned_user_id: string | null;
  due_at: NullableTimestamp;
  started_at: Timestamp;
  completed_at: NullableTimestamp;
  completed_by: string | null;
  outcome: string | null;
  notes: string | null;
}

// ── The customer's own account (migration 0023, decision 032) ─────────────────────────────────

export type NotificationChannel = MessageChannel;

/** A customer's choice for one topic on one channel; no row means on. */
export interface NotificationPreferencesTable {
  tenant_id: TenantId;
  user_id: string;
  /** A message category (migration 0026 widened issue 13's topics). */
  topic: MessageCategory;
  channel: NotificationChannel;
  enabled: boolean;
  updated_at: Timestamp;
}

/** A one-time code confirming a new phone number: only its keyed hash is stored. */
export interface AccountPhoneCodesTable {
  tenant_id: TenantId;
  id: Id;
  user_id: string;
  phone: string;
  code_hash: string;
  attempts: ColumnType<number, number | undefined, number>;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: Timestamp;
}

/** A tenant account's authenticator secret (encrypted); enabled once its first code is confirmed (decision 033). */
export interface UserTwoFactorTable {
  tenant_id: TenantId;
  user_id: string;
  secret_ciphertext: string;
  enabled_at: NullableTimestamp;
  last_used_step: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Single-use recovery codes, hashed (decision 033). */
export interface UserRecoveryCodesTable {
  tenant_id: TenantId;
  id: Id;
  user_id: string;
  code_hash: string;
  used_at: NullableTimestamp;
  created_at: Timestamp;
}

/** A requested change of sign-in address: confirmed from the new one, cancellable from the old. */
export interface EmailChangesTable {
  tenant_id: TenantId;
  id: Id;
  user_id: string;
  old_email: string;
  new_email: string;
  confirm_hash: string;
  cancel_hash: string;
  expires_at: Timestamp;
  confirmed_at: NullableTimestamp;
  cancelled_at: NullableTimestamp;
  created_at: Timestamp;
}

/** The account's own identity numbers, stored as personal_identifiers stores an order's. */
export interface UserIdentifiersTable {
  tenant_id: TenantId;
  user_id: string;
  kind: "national_id" | "kra_pin" | "nric";
  ciphertext: string;
  blind_index: string;
  masked: string;
  updated_at: Timestamp;
}

export interface SecuritySettingsTable {
  tenant_id: TenantId;
  require_two_factor_for_staff: Bool;
  updated_at: Timestamp;
}

export interface PlatformOperatorTwoFactorTable {
  operator_id: string;
  secret_ciphertext: string;
  enabled_at: NullableTimestamp;
  last_used_step: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PlatformOperatorRecoveryCodesTable {
  id: Id;
  operator_id: string;
  code_hash: string;
  used_at: NullableTimestamp;
  created_at: Timestamp;
}

/** The platform's own settings: one row. */
export interface PlatformSettingsTable {
  id: ColumnType<boolean, never, never>;
  require_two_factor_for_operators: Bool;
  updated_at: Timestamp;
}

// ── Data-protection rights (migration 0025, decision 034) ──────────────────────────────────

export type DataExportStatus = "requested" | "building" | "ready" | "failed" | "expired";

/** A customer's "download my data": a ZIP built by a job, kept until `expires_at`. */
export interface DataExportsTable {
  tenant_id: TenantId;
  id: Id;
  user_id: string;
  status: ColumnType<DataExportStatus, DataExportStatus | undefined, DataExportStatus>;
  file_key: string | null;
  size_bytes: number | null;
  error: string | null;
  requested_at: Timestamp;
  started_at: NullableTimestamp;
  ready_at: NullableTimestamp;
  expires_at: NullableTimestamp;
  updated_at: Timestamp;
}

/** One signed-in app (issue 15, decision 045): its access tokens die with it. */
export interface ApiTokenFamiliesTable {
  tenant_id: TenantId;
  id: Id;
  user_id: string;
  client_name: string | null;
  ip: string | null;
  user_agent: string | null;
  created_at: Timestamp;
  last_used_at: Timestamp;
  revoked_at: NullableTimestamp;
  revoked_reason: ApiFamilyRevocation | null;
}
export type ApiFamilyRevocation = "sign_out" | "password_change" | "refresh_reuse" | "revoked_by_user" | "account_closed";

export interface ApiRefreshTokensTable {
  tenant_id: TenantId;
  id: Id;
  family_id: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface ApiKeysTable {
  tenant_id: TenantId;
  id: Id;
  name: string;
  prefix: string;
  key_hash: string;
  scopes: string[];
  created_by: string;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  revoked_by: string | null;
}

export interface ApiIdempotencyTable {
  tenant_id: TenantId;
  principal: string;
  idempotency_key: string;
  method: string;
  path: string;
  request_hash: string;
  status: number | null;
  body: Json<unknown> | null;
  headers: ColumnType<Record<string, string>, Record<string, string> | string | undefined, Record<string, string> | string>;
  created_at: Timestamp;
}

export interface ApiSettingsTable {
  tenant_id: TenantId;
  allowed_origins: ColumnType<string[], string[] | undefined, string[]>;
  anonymous_per_hour: ColumnType<number, number | undefined, number>;
  authenticated_per_hour: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
}

export interface Database {
  tenants: TenantsTable;
  tenant_domains: TenantDomainsTable;
  platform_operators: PlatformOperatorsTable;
  platform_operator_password_history: PlatformOperatorPasswordHistoryTable;
  platform_sessions: PlatformSessionsTable;
  platform_audit_log: PlatformAuditLogTable;
  platform_sign_in_failures: PlatformSignInFailuresTable;
  rate_limit_buckets: RateLimitBucketsTable;
  users: UsersTable;
  sign_in_failures: SignInFailuresTable;
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
  policy_rules: PolicyRulesTable;
  payment_providers: PaymentProvidersTable;
  payment_methods: PaymentMethodsTable;
  orders: OrdersTable;
  order_items: OrderItemsTable;
  personal_identifiers: PersonalIdentifiersTable;
  beneficiaries: BeneficiariesTable;
  uploads: UploadsTable;
  policies: PoliciesTable;
  policy_versions: PolicyVersionsTable;
  renewal_offers: RenewalOffersTable;
  instalments: InstalmentsTable;
  transactions: TransactionsTable;
  gateway_log: GatewayLogTable;
  provider_events: ProviderEventsTable;
  refunds: RefundsTable;
  chargebacks: ChargebacksTable;
  receipts: ReceiptsTable;
  state_changes: StateChangesTable;
  network_settings: NetworkSettingsTable;
  agents: AgentsTable;
  agent_uplines: AgentUplinesTable;
  agent_sponsor_changes: AgentSponsorChangesTable;
  phone_verifications: PhoneVerificationsTable;
  members: MembersTable;
  commission_rule_versions: CommissionRuleVersionsTable;
  commission_rules: CommissionRulesTable;
  commission_months: CommissionMonthsTable;
  payout_batches: PayoutBatchesTable;
  payouts: PayoutsTable;
  commission_statements: CommissionStatementsTable;
  commission_entries: CommissionEntriesTable;
  commission_entry_states: CommissionEntryStatesView;
  commission_cap_usage: CommissionCapUsageTable;
  agent_ranks: AgentRanksTable;
  commission_bonus_rules: CommissionBonusRulesTable;
  commission_disputes: CommissionDisputesTable;
  commission_dispute_messages: CommissionDisputeMessagesTable;
  facilities: FacilitiesTable;
  claim_settings: ClaimSettingsTable;
  claims: ClaimsTable;
  claim_requests: ClaimRequestsTable;
  claim_documents: ClaimDocumentsTable;
  claim_notes: ClaimNotesTable;
  claim_drafts: ClaimDraftsTable;
  claim_draft_documents: ClaimDraftDocumentsTable;
  claim_approvals: ClaimApprovalsTable;
  claim_settlements: ClaimSettlementsTable;
  workflow_templates: WorkflowTemplatesTable;
  workflow_instances: WorkflowInstancesTable;
  workflow_tasks: WorkflowTasksTable;
  user_two_factor: UserTwoFactorTable;
  user_recovery_codes: UserRecoveryCodesTable;
  security_settings: SecuritySettingsTable;
  platform_operator_two_factor: PlatformOperatorTwoFactorTable;
  platform_operator_recovery_codes: PlatformOperatorRecoveryCodesTable;
  platform_settings: PlatformSettingsTable;
  message_events: MessageEventsTable;
  messaging_providers: MessagingProvidersTable;
  message_templates: MessageTemplatesTable;
  message_opt_outs: MessageOptOutsTable;
  messaging_settings: MessagingSettingsTable;
  api_token_families: ApiTokenFamiliesTable;
  api_refresh_tokens: ApiRefreshTokensTable;
  api_keys: ApiKeysTable;
  api_idempotency: ApiIdempotencyTable;
  api_settings: ApiSettingsTable;
  broadcasts: BroadcastsTable;
  alerts: AlertsTable;
  platform_alerts: PlatformAlertsTable;
  data_exports: DataExportsTable;
  notification_preferences: NotificationPreferencesTable;
  account_phone_codes: AccountPhoneCodesTable;
  email_changes: EmailChangesTable;
  user_identifiers: UserIdentifiersTable;
}

export type Tenant = Selectable<TenantsTable>;
export type NewTenant = Insertable<TenantsTable>;
export type TenantUpdate = Updateable<TenantsTable>;
export type User = Selectable<UsersTable>;
export type Message = Selectable<MessagesTable>;
