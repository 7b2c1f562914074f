import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { inject } from "vitest";

/** Debian's Chromium (never a downloaded one). CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Browser tests need Chromium. In CI it must be there (.ci/run installs it); on a developer's
 * machine without it the browser tests are skipped with a note instead of failing `npm test`.
 */
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM}; .ci/run installs it with apt-get`);
if (!hasChromium) console.warn(`Skipping browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH).`);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Chromium resolves *.localhost to loopback by itself. */
export function siteUrl(host: string, path = "/"): string {
  return `http://${host}:${inject("appPort")}${path}`;
}
