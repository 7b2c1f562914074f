import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { optionalUser } from "~/modules/auth/guards.server";
import { contentDisposition, verifyDownload } from "~/modules/files/signed-links.server";
import { FileStoreError, fileStore } from "~/modules/files/storage.server";
import { requireTenant, type TenantInfo } from "~/modules/tenancy/resolve.server";
import styles from "~/styles/app.css";
import { reportError } from "~/lib/error-reporting.server";
import { logger } from "~/lib/log.server";

/**
 * /files/<token>: a signed, short-lived download (docs/architecture.md §6). The token names the tenant, the
 * file, the only user who may open it and when it stops working; the signature is checked before
 * any of that is believed. A refusal never says whether the file exists: a forged or tampered link,
 * another agency's link and a link of a file that was never there all read "not valid".
 *
 * A resource route (the file is the response), so refusals are small HTML pages of their own with
 * the right status, never a 500.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const tenant = await requireTenant(request);
  const user = await optionalUser(request);
  const token = params.token ?? "";
  const check = verifyDownload(token, { tenantId: tenant.id, userId: user?.id ?? null });
  if (!check.ok) {
    switch (check.reason) {
      case "expired":
        return refusal(tenant, 410, "This download link has expired", [
          "Download links work for a few minutes only, to keep your documents safe.",
          "Open the page you came from again to get a fresh link.",
        ]);
      case "wrong_user":
        // Signed for an account: someone signed out is asked to sign in and come back.
        if (!user) throw redirect(`/login?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
        return refusal(tenant, 403, "This link is not for your account", [
          "Documents can only be downloaded by the account they belong to.",
          "If this is your document, sign in with the account you bought the policy with.",
        ]);
      default:
        return refusal(tenant, 403, "This download link is not valid", [
          "The link may be incomplete or mistyped. Open the page you came from again to get a fresh link.",
        ]);
    }
  }

  let file;
  try {
    file = await fileStore().get(check.fileKey);
  } catch (error) {
    if (error instanceof FileStoreError && error.code === "invalid_key") {
      return refusal(tenant, 403, "This download link is not valid", ["Open the page you came from again to get a fresh link."]);
    }
    logger.error({ err: error }, "files: could not read a stored file");
    reportError(error);
    return refusal(tenant, 503, "This file is not available right now", ["Please try again in a minute."]);
  }
  if (!file) {
    return refusal(tenant, 404, "This file is not available", ["It may still be being prepared. Please try again in a minute."]);
  }
  return new Response(new Uint8Array(file.body), {
    headers: {
      "Content-Type": file.contentType || "application/octet-stream",
      "Content-Length": String(file.body.length),
      "Content-Disposition": contentDisposition(check.filename),
      "Cache-Control": "private, no-store",
      // Never run or frame a stored file, and never pass the token on as a referrer.
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Referrer-Policy": "no-referrer",
    },
  });
}

function refusal(tenant: TenantInfo, status: number, title: string, lines: string[]): Response {
  const c = tenant.branding.colors;
  const html = `<!DOCTYPE html>
<html lang="${escapeHtml(tenant.locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · ${escapeHtml(tenant.name)}</title>
<link rel="stylesheet" href="${escapeHtml(styles)}">
<style>:root{--brand:${c.primary};--brand-contrast:${c.primaryContrast};--accent:${c.accent};--surface:${c.surface};--text:${c.text};}</style>
</head>
<body>
<div class="shell">
<header class="site-header"><div class="container header-row"><a href="/" class="brand"><span>${escapeHtml(tenant.name)}</span></a></div></header>
<main id="main" class="container main">
<section class="error-page" aria-labelledby="error-title">
<h1 id="error-title">${escapeHtml(title)}</h1>
${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join("\n")}
<p><a href="/account/policies">Go to my policies</a> · <a href="/account/payments">Go to my payments</a></p>
</section>
</main>
</div>
</body>
</html>`;
  return new Response(html, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "private, no-store",
      "Referrer-Policy": "no-referrer",
      "X-Robots-Tag": "noindex",
    },
  });
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}
