// Throwaway: varies each sampleInput across every option, checkbox, bound and person age. Delete after use.
import { readFileSync } from "node:fs";
import { catalogueSchema } from "../app/modules/catalogue/manifest";
import { priceQuote, parseRating } from "../app/modules/rating";

const tenants = [{ slug: "bowman", currency: "KES" }, { slug: "khholdings", currency: "MYR" }];
const quoteDate = "2026-11-21";
let bad = 0, n = 0;
for (const t of tenants) {
  const cat = catalogueSchema.parse(JSON.parse(readFileSync(`tenants/${t.slug}/catalogue.json`, "utf8")));
  for (const p of cat.products) {
    const rating = parseRating(p.rating);
    const variants: Record<string, unknown>[] = [];
    const base = p.sampleInput as Record<string, unknown>;
    const allTrue = { ...base };
    for (const input of rating.inputs) {
      if (input.kind === "select") for (const o of input.options) variants.push({ ...base, [input.name]: o.value });
      if (input.kind === "boolean") { variants.push({ ...base, [input.name]: true }); allTrue[input.name] = true; }
      if ((input.kind === "money" || input.kind === "integer")) {
        for (const b of [input.min, input.max]) if (typeof b === "number") variants.push({ ...base, [input.name]: b });
        if (input.kind === "integer" && typeof input.min === "object") variants.push({ ...base, [input.name]: 2026 + input.min!.fromQuoteYear });
      }
      if (input.kind === "persons") {
        const principal = input.roles[0]!;
        for (const role of input.roles) for (let age = role.minAge; age <= role.maxAge; age++) {
          const persons = role === principal ? [{ role: role.value, age }] : [{ role: principal.value, age: principal.minAge + 10 > principal.maxAge ? principal.minAge : principal.minAge + 10 }, { role: role.value, age }];
          const selects = rating.inputs.filter((i) => i.kind === "select");
          const combos: Record<string, string>[] = [{}];
          for (const s of selects) { const next: Record<string, string>[] = []; for (const c of combos) for (const o of s.options) next.push({ ...c, [s.name]: o.value }); combos.splice(0, combos.length, ...next); }
          for (const c of combos) variants.push({ ...allTrue, ...c, persons });
        }
      }
    }
    variants.push(allTrue);
    for (const v of variants) {
      n++;
      const r = priceQuote(p.rating, v, { currency: t.currency, quoteDate, levies: cat.levies });
      if (!r.ok) { bad++; console.log(p.slug, JSON.stringify(v), JSON.stringify(r.errors)); }
    }
  }
}
console.log(`${n} variants, ${bad} failed`);
