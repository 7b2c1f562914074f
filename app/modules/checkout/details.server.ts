import type { TenantDb } from "~db/client";
import type { OrderHolder } from "~db/schema";
import { blindIndex, encryptPii, piiContext, piiKeysFromEnv } from "~/modules/pii/crypto.server";
import { maskIdentifier, type IdentifierKind } from "~/modules/pii/identifiers";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import type { CheckoutOrder, OrderLine } from "./orders.server";
import { formatShare, type DetailsValue } from "./schemas";
import { furthest, identifierKindsFor } from "./steps";

/**
 * Step 1, the policyholder: their details, the identity numbers the agency needs (encrypted, only
 * ever shown masked), beneficiaries for products that pay out to them, and required documents.
 */

export interface DocumentRequirement {
  /** `<code>:<order item id>`: two cars need two logbooks. Also the upload field's name. */
  key: string;
  code: string;
  label: string;
  productName: string;
}

export interface CheckoutRequirements {
  kinds: IdentifierKind[];
  beneficiaries: boolean;
  /** The products that pay out to beneficiaries, to say why they are asked for. */
  beneficiaryProducts: string[];
  documents: DocumentRequirement[];
}

export function checkoutRequirements(tenant: Pick<TenantInfo, "currency">, lines: readonly OrderLine[]): CheckoutRequirements {
  const beneficiaryProducts = lines.filter((l) => l.requirements.beneficiaries).map((l) => l.quote.productName);
  return {
    kinds: identifierKindsFor(tenant),
    beneficiaries: beneficiaryProducts.length > 0,
    beneficiaryProducts,
    documents: lines.flatMap((l) =>
      (l.requirements.documents ?? []).map((d) => ({
        key: `${d.code}:${l.id}`,
        code: d.code,
        label: d.label,
        productName: l.quote.productName,
      })),
    ),
  };
}

export interface DetailsView {
  holder: OrderHolder;
  identifiers: { kind: IdentifierKind; masked: string }[];
  beneficiaries: { name: string; relationship: string; share: string }[];
  uploads: { requirement: string; filename: string; sizeBytes: number }[];
}

/** What the order holds so far; identifiers only as their masks. */
export async function detailsView(db: TenantDb, orderId: string): Promise<DetailsView> {
  const [order, identifiers, beneficiaries, uploads] = await Promise.all([
    db.selectFrom("orders").select("holder").where("id", "=", orderId).executeTakeFirstOrThrow(),
    db.selectFrom("personal_identifiers").select(["kind", "masked"]).where("order_id", "=", orderId).execute(),
    db
      .selectFrom("beneficiaries")
      .select(["name", "relationship", "share_bp"])
      .where("order_id", "=", orderId)
      .orderBy("position")
      .execute(),
    db.selectFrom("uploads").select(["requirement", "filename", "size_bytes"]).where("order_id", "=", orderId).execute(),
  ]);
  return {
    holder: order.holder ?? {},
    identifiers,
    beneficiaries: beneficiaries.map((b) => ({ name: b.name, relationship: b.relationship, share: formatShare(b.share_bp) })),
    uploads: uploads.map((u) => ({ requirement: u.requirement, filename: u.filename, sizeBytes: u.size_bytes })),
  };
}

const HOLDER_FIELDS: (keyof OrderHolder)[] = ["name", "email", "phone", "dateOfBirth", "address"];

/**
 * Whether step 1 is done for the order as it stands now (its items may have changed since), with
 * what is missing keyed by the form's field names.
 */
export async function detailsComplete(
  db: TenantDb,
  tenant: Pick<TenantInfo, "currency">,
  order: CheckoutOrder,
): Promise<{ complete: boolean; errors: Record<string, string[]> }> {
  const needs = checkoutRequirements(tenant, order.lines);
  const view = await detailsView(db, order.id);
  const errors: Record<string, string[]> = {};
  for (const field of HOLDER_FIELDS) if (!view.holder[field]) errors[field] = ["Required"];
  for (const kind of needs.kinds) if (!view.identifiers.some((i) => i.kind === kind)) errors[`identifiers.${kind}`] = ["Required"];
  if (needs.beneficiaries) {
    const total = (await db.selectFrom("beneficiaries").select("share_bp").where("order_id", "=", order.id).execute()).reduce(
      (s, b) => s + b.share_bp,
      0,
    );
    if (total !== 10_000) errors.beneficiaries = ["Name your beneficiaries, with shares adding up to 100%."];
  }
  for (const doc of needs.documents)
    if (!view.uploads.some((u) => u.requirement === doc.key))
      errors[doc.key] = [`Upload the ${doc.label.toLowerCase()} for ${doc.productName}.`];
  return { complete: Object.keys(errors).length === 0, errors };
}

/**
 * Saves the policyholder's details, identifiers (encrypted, blind-indexed, masked) and
 * beneficiaries. Everything valid is kept even when a document is still missing, so nothing typed
 * is lost; the order moves on to the plan only once step 1 is complete.
 */
export async function saveDetails(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id" | "currency">,
  order: CheckoutOrder,
  value: DetailsValue,
): Promise<{ ok: true } | { ok: false; errors: Record<string, string[]> }> {
  if (order.status !== "draft") return { ok: false, errors: { form: ["This order is no longer open."] } };
  const holder: OrderHolder = {
    name: value.name,
    email: value.email,
    phone: value.phone,
    dateOfBirth: value.dateOfBirth,
    address: value.address,
  };
  await db
    .updateTable("orders")
    .set({ holder: JSON.stringify(holder), updated_at: new Date() })
    .where("id", "=", order.id)
    .execute();

  const key = piiKeysFromEnv();
  const needs = checkoutRequirements(tenant, order.lines);
  for (const kind of needs.kinds) {
    const normalised = (value.identifiers as Partial<Record<IdentifierKind, string>>)[kind];
    if (!normalised) continue; // left empty: the saved one stays
    const context = piiContext(tenant.id, kind);
    const stored = {
      ciphertext: encryptPii(normalised, { key, context }),
      blind_index: blindIndex(normalised, { key, context }),
      masked: maskIdentifier(kind, normalised),
    };
    await db
      .insertInto("personal_identifiers")
      .values({ order_id: order.id, kind, ...stored })
      .onConflict((oc) => oc.columns(["tenant_id", "order_id", "kind"]).doUpdateSet(stored))
      .execute();
  }

  if (needs.beneficiaries) {
    await db.deleteFrom("beneficiaries").where("order_id", "=", order.id).execute();
    if (value.beneficiaries.length)
      await db
        .insertInto("beneficiaries")
        .values(
          value.beneficiaries.map((b, position) => ({
            order_id: order.id,
            position,
            name: b.name,
            relationship: b.relationship,
            share_bp: b.shareBp,
          })),
        )
        .execute();
  }

  const done = await detailsComplete(db, tenant, order);
  if (!done.complete) return { ok: false, errors: done.errors };
  await db
    .updateTable("orders")
    .set({ step: furthest(order.step, "plan") })
    .where("id", "=", order.id)
    .execute();
  return { ok: true };
}
