import { parse } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { json, redirect } from "@remix-run/node";
import { withTenant } from "~/lib/db.server";
import { readForm, replyErrors } from "~/lib/forms";
import { clientInfo } from "~/modules/auth/guards.server";
import { checkoutRequirements } from "~/modules/checkout/details.server";
import { detailsSchema, termsSchema } from "~/modules/checkout/schemas";
import { readMultipartForm, saveWithUploads, type ReceivedFile } from "~/modules/checkout/uploads.server";
import { inactiveAgentMessage } from "~/modules/network/current-agent.server";
import { quoteDateIn } from "~/modules/rating";
import { originOf } from "~/modules/tenancy/resolve.server";
import { offlinePaymentSchema } from "./schemas";
import { orderFrom, saleContext } from "./sale-page.server";
import { confirmSaleTerms, recordSalePayment, saveSaleDetails, sendPaymentLink, startSale } from "./sale.server";
import { saleProductSlug, saleUrl, type SaleIntent } from "./sale-url";
import { memberStandingMessage } from "./status";

/**
 * The sale wizard's forms, all posted to its one address with an `intent`: price a product (which
 * starts the order), the holder's details (with uploads), the member's agreement to the terms, and
 * the payment — a link emailed to the member or a payment collected offline. A step that works
 * redirects to the sale (POST-redirect-GET); one refused answers `{ intent, result }` (conform's
 * reply) so the page shows its form again with what was typed and why. An agent who may not sell,
 * or a member who may not be sold to (decision 035), is refused at every step.
 */
export async function answerSaleForm(request: Request, memberId: string) {
  const { tenant, agent, member } = await saleContext(request, memberId);
  const search = new URL(request.url).searchParams;
  const actor = { userId: agent.userId, ip: clientInfo(request).ip };
  const saleAgent = { id: agent.id, userId: agent.userId, name: agent.name };
  const inactive = inactiveAgentMessage(agent.status) ?? memberStandingMessage(member.status, "sell");

  let form: FormData;
  let files: ReceivedFile[] = [];
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const read = await readMultipartForm(request);
    if (!read.ok)
      return json(
        { intent: "details" as SaleIntent, result: { status: "error", error: { "": [read.message] } } as unknown },
        { status: 413 },
      );
    ({ form, files } = read);
  } else {
    form = await readForm(request);
  }
  const intent = String(form.get("intent") ?? "") as SaleIntent;
  const refuse = (result: unknown, status = 400) => json({ intent, result }, { status });
  const empty = () => parse<unknown, string[]>(form, { resolve: () => ({}) });

  if (intent === "quote") {
    const slug = saleProductSlug.safeParse(search.get("product"));
    if (!slug.success) throw new Response("Not found", { status: 404 });
    if (inactive) return refuse(empty().reply({ formErrors: [inactive] }), 403);
    const frequency = form.get("frequency");
    const started = await withTenant(tenant.id, (db) =>
      startSale(
        db,
        tenant,
        saleAgent,
        member,
        { productSlug: slug.data, form, frequency: typeof frequency === "string" ? frequency : null },
        actor,
      ),
    );
    if (!started.ok) {
      if (started.code === "not_found") throw new Response("Not found", { status: 404 });
      return refuse(empty().reply(replyErrors(started.errors)));
    }
    return redirect(saleUrl(memberId, started.orderId));
  }

  const order = await orderFrom(tenant, agent, member, search.get("order"));
  if (!order) throw new Response("Not found", { status: 404 });

  if (intent === "details") {
    const needs = checkoutRequirements(tenant, order.lines);
    const stored = await withTenant(tenant.id, (db) =>
      db.selectFrom("personal_identifiers").select("kind").where("order_id", "=", order.id).execute(),
    );
    const schema = detailsSchema({
      kinds: needs.kinds,
      stored: needs.kinds.filter((k) => stored.some((s) => s.kind === k)),
      beneficiaries: needs.beneficiaries,
      today: quoteDateIn(tenant.timeZone),
    });
    const submission = parseWithZod(form, { schema });
    if (inactive) return refuse(submission.reply({ formErrors: [inactive] }), 403);
    const errors = await saveWithUploads(
      tenant.id,
      order.id,
      needs.documents.map((d) => d.key),
      files,
      submission.status === "success" ? (db) => saveSaleDetails(db, tenant, order, member, submission.value) : null,
    );
    if (submission.status === "success" && Object.keys(errors).length === 0) return redirect(saleUrl(memberId, order.id));
    const { form: formErrors = [], ...fieldErrors } = errors;
    return refuse(
      submission.reply({
        formErrors: [
          ...formErrors,
          ...(Object.keys(fieldErrors).length || submission.status !== "success" ? ["Check the highlighted fields."] : []),
        ],
        fieldErrors,
      }),
    );
  }

  if (intent === "terms") {
    const submission = parseWithZod(form, { schema: termsSchema });
    if (submission.status !== "success") return refuse(submission.reply());
    if (inactive) return refuse(submission.reply({ formErrors: [inactive] }), 403);
    const accepted = await withTenant(tenant.id, (db) => confirmSaleTerms(db, tenant, order, submission.value.version, actor));
    if (!accepted.ok) return refuse(submission.reply({ formErrors: accepted.errors.form ?? ["Check the order and try again."] }), 409);
    return redirect(saleUrl(memberId, order.id));
  }

  if (intent === "link") {
    if (inactive) return refuse(empty().reply({ formErrors: [inactive] }), 403);
    const sent = await withTenant(tenant.id, (db) => sendPaymentLink(db, tenant, saleAgent, member, order, originOf(request), actor));
    if (!sent.ok) return refuse(empty().reply(replyErrors(sent.errors)));
    return redirect(saleUrl(memberId, order.id, "&sent=1"));
  }

  if (intent === "offline") {
    // Only the method and the reference are read: the amount is the order's, worked out on the server.
    const submission = parseWithZod(form, { schema: offlinePaymentSchema });
    if (submission.status !== "success") return refuse(submission.reply());
    if (inactive) return refuse(submission.reply({ formErrors: [inactive] }), 403);
    const recorded = await withTenant(tenant.id, (db) => recordSalePayment(db, tenant, saleAgent, order, submission.value, actor));
    if (!recorded.ok) return refuse(submission.reply(replyErrors(recorded.errors)));
    return redirect(saleUrl(memberId, order.id, "&recorded=1"));
  }

  throw new Response("Bad request", { status: 400 });
}
