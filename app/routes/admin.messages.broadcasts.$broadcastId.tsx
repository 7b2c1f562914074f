import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { BROADCAST_STATUS_LABELS, CHANNEL_LABELS } from "~/components/admin/broadcast-labels";
import { Alert } from "~/components/ui/alert";
import { useErrorText } from "~/components/ui/field";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { lineText } from "~/lib/text";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { describeSegment } from "~/modules/notifications/broadcasts-segments.server";
import {
  broadcastProgress,
  cancelBroadcast,
  findBroadcast,
  previewBroadcast,
  sendBroadcast,
} from "~/modules/notifications/broadcasts.server";

const idSchema = lineText().uuid();

async function broadcastOr404(tenantId: string, raw: string | undefined) {
  const id = idSchema.safeParse(raw);
  const broadcast = id.success ? await withTenant(tenantId, (db) => findBroadcast(db, id.data)) : undefined;
  if (!broadcast) throw new Response("There is no such broadcast.", { status: 404 });
  return broadcast;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "send:broadcast:any");
  const broadcast = await broadcastOr404(tenant.id, params.broadcastId);
  const at = (d: Date | null) => (d ? formatDateTime(d, tenant.locale, tenant.timeZone) : null);
  const names = await withTenant(tenant.id, async (db) => ({
    product:
      broadcast.segment.kind === "product_customers"
        ? (await db.selectFrom("products").select("name").where("id", "=", broadcast.segment.productId).executeTakeFirst())?.name
        : undefined,
    agent:
      broadcast.segment.kind === "agent_members"
        ? (
            await db
              .selectFrom("agents as a")
              .innerJoin("users as u", "u.id", "a.user_id")
              .select("u.name")
              .where("a.id", "=", broadcast.segment.agentId)
              .executeTakeFirst()
          )?.name
        : undefined,
  }));
  const t = await serverT(tenant.language, "admin-messages");
  const summary = {
    id: broadcast.id,
    title: broadcast.title,
    channel: broadcast.channel,
    segment: describeSegment(t, broadcast.segment, names),
    status: broadcast.status,
    subject: broadcast.subject,
    body: broadcast.body,
    startedAt: at(broadcast.startedAt),
    finishedAt: at(broadcast.finishedAt),
  };
  if (broadcast.status === "draft") {
    const preview = await withTenant(tenant.id, (db) => previewBroadcast(db, tenant.id, broadcast, tenant.timeZone));
    return json({ broadcast: summary, preview, progress: null });
  }
  const progress = await withTenant(tenant.id, (db) => broadcastProgress(db, broadcast.id));
  return json({ broadcast: summary, preview: null, progress });
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("send"), confirm: z.literal("yes", { message: "Tick the box to confirm the broadcast" }) }),
  z.object({ intent: z.literal("cancel") }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "send:broadcast:any");
  const broadcast = await broadcastOr404(tenant.id, params.broadcastId);
  const form = await readForm(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return json({ errors: parsed.error.flatten().fieldErrors, message: null }, { status: 400 });
  const actor = { userId: user.id, ip: clientInfo(request).ip };
  const result = await withTenant(tenant.id, (db) =>
    parsed.data.intent === "send" ? sendBroadcast(db, tenant.id, broadcast.id, actor) : cancelBroadcast(db, broadcast.id, actor),
  );
  if (!result.ok) return json({ errors: {}, message: result.reason }, { status: 409 });
  return redirect(`/admin/messages/broadcasts/${broadcast.id}`);
}

const PROGRESS = ["queued", "sent", "delivered", "failed", "suppressed"] as const;

export default function BroadcastPage() {
  const { broadcast, preview, progress } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors: Record<string, string[] | undefined> = data?.errors ?? {};
  const running = broadcast.status === "queued" || broadcast.status === "sending";
  const { t } = useTranslation("admin-messages");
  const errorText = useErrorText();
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{broadcast.title}</h1>
          <p className="muted">
            {t("broadcast.channelTo", {
              channel: t(`channel.${broadcast.channel}`, { defaultValue: CHANNEL_LABELS[broadcast.channel] }),
              segment: broadcast.segment,
            })}{" "}
            ·{" "}
            <span className={`badge badge-${broadcast.status}`}>
              {t(`broadcastStatus.${broadcast.status}`, { defaultValue: BROADCAST_STATUS_LABELS[broadcast.status] })}
            </span>
          </p>
        </div>
        <Link to="/admin/messages/broadcasts">{t("broadcasts.all")}</Link>
      </div>
      {data?.message ? <Alert tone="error">{errorText([data.message])}</Alert> : null}
      {preview ? (
        <>
          <section className="card stack" aria-labelledby="recipients-title">
            <h2 id="recipients-title">{t("compose.who")}</h2>
            <dl className="facts">
              <dt>{t("broadcast.inSegment")}</dt>
              <dd>{preview.segmentSize}</dd>
              <dt>{t("broadcast.willReceive")}</dt>
              <dd>
                <strong>{preview.receiving}</strong>
              </dd>
              <dt>{t("broadcast.optedOut")}</dt>
              <dd>{preview.optedOut}</dd>
              <dt>{t("broadcast.noAddress")}</dt>
              <dd>{preview.noAddress}</dd>
              <dt>{t("broadcast.invalidAddress")}</dt>
              <dd>{preview.invalidAddress}</dd>
            </dl>
            {preview.sample.length > 0 ? (
              <>
                <h3>{t("broadcast.some")}</h3>
                <ul>
                  {preview.sample.map((r) => (
                    <li key={`${r.name}-${r.address}`}>
                      {r.name} — <span className="break">{r.address}</span>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </section>
          <section className="card stack" aria-labelledby="message-title">
            <h2 id="message-title">{t("broadcast.whatTheySee")}</h2>
            {preview.rendered.subject ? (
              <p>
                <strong>{preview.rendered.subject}</strong>
              </p>
            ) : null}
            <pre className="message-body">{preview.rendered.text}</pre>
            {preview.segments ? (
              <p className="muted">
                {t("broadcast.smsSize", {
                  count: preview.segments.segments,
                  length: preview.segments.length,
                  encoding: preview.segments.encoding === "ucs2" ? "Unicode" : "GSM-7",
                })}
              </p>
            ) : null}
          </section>
          <Form method="post" className="card stack">
            <input type="hidden" name="intent" value="send" />
            <div className={`field${errors.confirm ? " field-invalid" : ""}`}>
              <label>
                <input type="checkbox" name="confirm" value="yes" aria-describedby={errors.confirm ? "confirm-error" : undefined} />{" "}
                {t("broadcast.confirm", { count: preview.receiving })}
              </label>
              {errors.confirm ? (
                <p className="field-error" id="confirm-error" role="alert">
                  {errorText(errors.confirm)}
                </p>
              ) : null}
            </div>
            <div className="actions">
              <Button type="submit">{t("broadcast.send")}</Button>
              <Link to="/admin/messages/broadcasts/new">{t("broadcast.another")}</Link>
            </div>
          </Form>
        </>
      ) : null}
      {progress ? (
        <section className="card stack" aria-labelledby="progress-title">
          <h2 id="progress-title">{t("broadcast.progress")}</h2>
          <progress max={100} value={progress.percent} aria-label={t("broadcast.sentSoFar")}>
            {progress.percent}%
          </progress>
          <p>{running ? t("broadcast.doneRunning", { percent: progress.percent }) : t("broadcast.done", { percent: progress.percent })}</p>
          <dl className="facts">
            {PROGRESS.map((status) => (
              <div key={status}>
                <dt>{t(`broadcast.count.${status}`)}</dt>
                <dd data-status={status}>{progress.counts[status]}</dd>
              </div>
            ))}
            <div>
              <dt>{t("broadcast.started")}</dt>
              <dd>{broadcast.startedAt ?? "—"}</dd>
            </div>
            <div>
              <dt>{t("broadcast.finished")}</dt>
              <dd>{broadcast.finishedAt ?? "—"}</dd>
            </div>
          </dl>
          {running ? (
            <Form method="post">
              <input type="hidden" name="intent" value="cancel" />
              <Button type="submit" variant="secondary">
                {t("broadcast.cancel")}
              </Button>
            </Form>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => {
  const running = data?.broadcast.status === "queued" || data?.broadcast.status === "sending";
  // Progress without JavaScript: the page reloads itself while the broadcast goes out.
  return [...pageTitle(matches, data?.broadcast.title ?? "Broadcast"), ...(running ? [{ httpEquiv: "refresh", content: "5" }] : [])];
};
