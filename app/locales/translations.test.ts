import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Language } from "~db/schema";
import { resources } from "./index";

/**
 * Every string in English has a translation in each language a demo tenant offers (decision 037),
 * with the same {{variables}} and the plural forms that language needs. Namespace files on disk
 * must all be registered in ./index.ts.
 */
const offered = new Set<Language>(
  readdirSync("tenants").flatMap((slug) => {
    try {
      return (JSON.parse(readFileSync(join("tenants", slug, "manifest.json"), "utf8")).languages ?? ["en"]) as Language[];
    } catch {
      return [];
    }
  }),
);

type Tree = { [key: string]: string | Tree };
function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const PLURAL = /_(zero|one|two|few|many|other)$/;
const variables = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();

describe("translations", () => {
  it("every demo tenant's languages are offered", () => {
    expect([...offered].sort()).toEqual(expect.arrayContaining(["en", "ms", "sw"]));
  });

  it("every namespace file is registered", () => {
    for (const language of ["en", "sw", "ms"] as const) {
      const files = readdirSync(join("app/locales", language))
        .filter((f) => f.endsWith(".json"))
        .map((f) => f.replace(/\.json$/, ""));
      expect(Object.keys(resources[language]).sort(), `namespaces of ${language}`).toEqual(files.sort());
    }
  });

  for (const language of [...offered].filter((l) => l !== "en")) {
    it(`${language} translates every English string`, () => {
      const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
      const problems: string[] = [];
      for (const [namespace, tree] of Object.entries(resources.en)) {
        const source = flatten(tree as Tree);
        const target = flatten(((resources[language] as Record<string, unknown>)[namespace] ?? {}) as Tree);
        for (const [key, english] of source) {
          const plural = PLURAL.exec(key);
          const wanted = plural ? categories.map((c) => key.replace(PLURAL, `_${c}`)) : [key];
          for (const k of wanted) {
            const text = target.get(k);
            if (!text?.trim()) problems.push(`${namespace}:${k} has no ${language} translation`);
            else if (variables(text).join() !== variables(english).join()) {
              problems.push(
                `${namespace}:${k} uses {{${variables(text).join(", ")}}} but English uses {{${variables(english).join(", ")}}}`,
              );
            }
          }
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
