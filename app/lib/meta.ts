import type { MetaDescriptor } from "@remix-run/node";

interface RootMatch {
  id: string;
  data?: unknown;
}

/** "Sign in · Bowman Insurance": every page title names the agency (or Covera on the platform). */
export function pageTitle(matches: RootMatch[], title: string): MetaDescriptor[] {
  const root = matches.find((m) => m.id === "root")?.data as { site?: { kind: string; tenant?: { name: string } } } | undefined;
  const site = root?.site?.kind === "tenant" ? root.site.tenant!.name : "Covera";
  return [{ title: `${title} · ${site}` }];
}
