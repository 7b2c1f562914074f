import { describe, expect, it } from "vitest";
import en from "~/locales/en/admin.json";
import { AUDIT_ACTION_LABELS, AUDIT_ACTION_PREFIXES } from "./labels";

/**
 * The English wording in labels.ts is the source; admin.json repeats it under `audit.actions`
 * and `audit.prefixes` so that sw and ms have something to translate (decision 037). Both must
 * say the same, or English pages would change with the file read.
 */
describe("audit wording in the admin namespace", () => {
  it("holds every action, word for word", () => {
    const inJson = Object.fromEntries(
      Object.entries(en.audit.actions).flatMap(([group, names]) =>
        Object.entries(names).map(([name, label]) => [`${group}.${name}`, label]),
      ),
    );
    expect(inJson).toEqual(AUDIT_ACTION_LABELS);
  });

  it("holds every filter prefix", () => {
    expect(en.audit.prefixes).toEqual(Object.fromEntries(AUDIT_ACTION_PREFIXES.map((p) => [p.value.replace(/\.$/, ""), p.label])));
  });
});
