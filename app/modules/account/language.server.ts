import type { TenantDb } from "~db/client";
import type { Language } from "~db/schema";

/** A person's language, remembered on their account: their pages, emails and texts use it. */
export async function rememberLanguage(db: TenantDb, userId: string, language: Language): Promise<void> {
  await db.updateTable("users").set({ language, updated_at: new Date() }).where("id", "=", userId).execute();
}
