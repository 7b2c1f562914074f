import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { AccountNav } from "~/components/account/account-nav";
import { ClaimTracker } from "~/components/claims/tracker";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { claimForClaimant } from "~/modules/claims/claimant.server";
import { claimPageAction, noticeFrom } from "~/modules/claims/page-actions.server";
import { claimPageData, claimsRequest } from "~/modules/claims/page.server";
import { serverT } from "~/modules/i18n/i18n.server";
import claimStyles from "~/styles/claims.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: claimStyles }];

/**
 * /account/claims/<id>: one claim as its claimant (or their member's agent) follows it. Anyone else,
 * on this agency or another, gets the same 404 as a claim that does not exist.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await claimsRequest(request);
  const claimId = uuidParam(params, "claimId");
  const view = await withTenant(ctx.tenant.id, (db) => claimForClaimant(db, ctx.actor, claimId, ctx.today));
  if (!view) throw new Response("Not found", { status: 404 });
  const claim = await claimPageData(view, ctx.tenant, ctx.user.id);
  const t = await serverT(ctx.tenant.language, "claims");
  return json({ claim, notice: noticeFrom(request), title: t("tracker.title", { number: claim.claimNumber }) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await claimsRequest(request);
  const claimId = uuidParam(params, "claimId");
  return claimPageAction(request, ctx, claimId, `/account/claims/${claimId}`);
}

export default function ClaimPage() {
  const { claim, notice } = useLoaderData<typeof loader>();
  const failed = useActionData<{ intent: string; errors: Record<string, string[]> }>();
  return (
    <div className="account stack">
      <AccountNav />
      <ClaimTracker claim={claim} notice={notice} intent={failed?.intent} errors={failed?.errors} />
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Claim");
