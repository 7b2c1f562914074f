import type { TenantDb } from "~db/client";
import type { Frequency, OrderStatus, OrderStep, PolicyStatus, TransactionMethod, TransactionStatus } from "~db/schema";

/**
 * The order confirmation: what was bought, what was paid, and each item's policy once the
 * issuance job has made it (until then, the item is "being issued"). Only the owner's order.
 */
export interface ConfirmationItem {
  id: string;
  productName: string;
  insurerName: string;
  frequency: Frequency | null;
  instalmentsPerYear: number | null;
  /** Frozen when payment started: what this item's first payment was. */
  paidMinor: number | null;
  laterInstalmentMinor: number | null;
  policy: { id: string; number: string | null; status: PolicyStatus; startDate: string | null; endDate: string | null } | null;
}

export interface Confirmation {
  id: string;
  reference: string;
  status: OrderStatus;
  step: OrderStep;
  currency: string;
  paidAt: Date | null;
  items: ConfirmationItem[];
  payments: {
    id: string;
    status: TransactionStatus;
    method: TransactionMethod;
    amountMinor: number;
    receipt: string | null;
    completedAt: Date | null;
  }[];
}

export async function orderConfirmation(db: TenantDb, orderId: string, userId: string): Promise<Confirmation | undefined> {
  const order = await db
    .selectFrom("orders")
    .select(["id", "reference", "status", "step", "currency", "paid_at"])
    .where("id", "=", orderId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!order) return undefined;
  const [items, policies, payments] = await Promise.all([
    db
      .selectFrom("order_items")
      .innerJoin("products", "products.id", "order_items.product_id")
      .innerJoin("insurers", "insurers.id", "products.insurer_id")
      .select([
        "order_items.id",
        "order_items.frequency",
        "order_items.instalments_per_year",
        "order_items.first_payment_minor",
        "order_items.later_instalment_minor",
        "products.name as product_name",
        "insurers.name as insurer_name",
      ])
      .where("order_items.order_id", "=", orderId)
      .orderBy("order_items.position")
      .execute(),
    db
      .selectFrom("policies")
      .select(["id", "order_item_id", "policy_number", "status", "start_date", "end_date"])
      .where("order_id", "=", orderId)
      .execute(),
    db
      .selectFrom("transactions")
      .select(["id", "status", "method", "amount_minor", "provider_receipt", "completed_at"])
      .where("order_id", "=", orderId)
      .where("status", "in", ["completed", "partially_refunded", "refunded"])
      .orderBy("created_at")
      .execute(),
  ]);
  return {
    id: order.id,
    reference: order.reference,
    status: order.status,
    step: order.step,
    currency: order.currency,
    paidAt: order.paid_at,
    items: items.map((item) => {
      const policy = policies.find((p) => p.order_item_id === item.id);
      return {
        id: item.id,
        productName: item.product_name,
        insurerName: item.insurer_name,
        frequency: item.frequency,
        instalmentsPerYear: item.instalments_per_year,
        paidMinor: item.first_payment_minor,
        laterInstalmentMinor: item.later_instalment_minor,
        policy: policy
          ? { id: policy.id, number: policy.policy_number, status: policy.status, startDate: policy.start_date, endDate: policy.end_date }
          : null,
      };
    }),
    payments: payments.map((p) => ({
      id: p.id,
      status: p.status,
      method: p.method,
      amountMinor: p.amount_minor,
      receipt: p.provider_receipt,
      completedAt: p.completed_at,
    })),
  };
}
