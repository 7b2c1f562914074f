import { z } from "zod";
import { signDownload } from "~/modules/files/signed-links.server";
import { originOf } from "~/modules/tenancy/resolve.server";
import { answerText } from "./answers";

/**
 * A file in an API answer: a signed `/files/<token>` link (docs/architecture.md §6). The app holds a
 * bearer token, not the web session a user-bound link wants, so the link is a bearer one (anyone
 * holding it may download) and lives five minutes: the answer that carries it went to the owner
 * alone, over an authenticated call, and asking again makes a fresh one.
 */
export const DOWNLOAD_SECONDS = 300;

export const downloadSchema = z.object({
  url: answerText().url().describe("GET it without credentials within five minutes; ask again for a fresh one."),
  expiresAt: answerText().datetime(),
});

export function apiDownload(request: Request, tenantId: string, fileKey: string, filename: string): z.infer<typeof downloadSchema> {
  const path = signDownload({ tenantId, fileKey, userId: null, filename, expiresInSeconds: DOWNLOAD_SECONDS });
  return { url: `${originOf(request)}${path}`, expiresAt: new Date(Date.now() + DOWNLOAD_SECONDS * 1000).toISOString() };
}
