// Throwaway: validates tenants/*/catalogue.json and prices every sampleInput. Delete after use.
import { readFileSync } from "node:fs";
import { catalogueSchema } from "../app/modules/catalogue/manifest";
import { priceQuote } from "../app/modules/rating";
import { formatMoney } from "../app/lib/money";

const tenants = [
  { slug: "bowman", currency: "KES", locale: "en-KE" },
  { slug: "khholdings", currency: "MYR", locale: "en-MY" },
];
const quoteDate = process.argv[2] ?? "2026-11-21";
let failed = false;
for (const t of tenants) {
  const file = `tenants/${t.slug}/catalogue.json`;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    console.log(`${file}: ${(e as Error).message}`);
    failed = true;
    continue;
  }
  const parsed = catalogueSchema.safeParse(raw);
  if (!parsed.success) {
    failed = true;
    console.log(`${file} INVALID`);
    for (const issue of parsed.error.issues) console.log(`  ${issue.path.join(".")}: ${issue.message}`);
    continue;
  }
  const cat = parsed.data;
  const money = (m: number) => formatMoney(m, t.currency, t.locale);
  const byCat = new Map<string, number>();
  for (const p of cat.products) byCat.set(p.category, (byCat.get(p.category) ?? 0) + 1);
  console.log(`\n== ${file}: ${cat.insurers.length} insurers, ${cat.products.length} products (${[...byCat].map(([c, n]) => `${c} ${n}`).join(", ")}), featured ${cat.products.filter((p) => p.featured).length}, reviews ${cat.products.reduce((s, p) => s + p.reviews.length, 0)}`);
  for (const p of cat.products) {
    let result;
    try {
      result = priceQuote(p.rating, p.sampleInput, { currency: t.currency, quoteDate, levies: cat.levies });
    } catch (e) {
      failed = true;
      console.log(`  ${p.slug}: DECLARATION ERROR ${(e as Error).message}`);
      continue;
    }
    if (!result.ok) {
      failed = true;
      console.log(`  ${p.slug}: INPUT ERRORS ${JSON.stringify(result.errors)}`);
      continue;
    }
    const q = result.quote;
    const freqs = q.frequencies.map((f) => `${f.frequency} ${money(f.instalmentAmount)}`).join(" | ");
    console.log(`  ${p.slug.padEnd(34)} ${money(q.total).padStart(16)}  (premium ${money(q.basePremium)}; ${freqs})`);
    if (process.env.LINES) for (const l of [...q.lines, ...q.levies]) console.log(`      ${l.label}: ${money(l.amount)}`);
  }
}
process.exit(failed ? 1 : 0);
