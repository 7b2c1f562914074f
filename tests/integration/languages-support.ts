import { withPlatform } from "~db/client";
import type { Language } from "~db/schema";
import { languageCookieHeader } from "~/modules/i18n/i18n.server";
import type { Browser } from "../support/http";

/** The agency offers these languages, English its default (decision 037). */
export async function offer(tenantId: string, languages: Language[]): Promise<void> {
  await withPlatform((db) => db.updateTable("tenants").set({ languages, default_language: "en" }).where("id", "=", tenantId).execute());
}

/** The browser chose a language, as the switcher leaves it: the cookie's own encoding, not the bare code. */
export async function setLanguage(browser: Browser, language: Language): Promise<void> {
  browser.cookies.set("lng", (await languageCookieHeader(language, false)).split(";")[0]!.split("=")[1]!);
}
