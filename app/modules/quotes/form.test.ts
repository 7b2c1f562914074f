import { describe, expect, it } from "vitest";
import { describeInputs, parseRating, priceQuote } from "~/modules/rating";
import { kenyaLevies, medicalFamily, motorComprehensive } from "~/modules/rating/examples";
import { compactPersonRows, formToRatingInput, formValuesFromInputs, personSlots, remapRowErrors, resolveQuoteForm } from "./form";

const ctx = { currency: "KES", locale: "en-KE", quoteDate: "2026-11-21" };
const roles = parseRating(medicalFamily).inputs.flatMap((i) => (i.kind === "persons" ? [{ name: i.name, roles: i.roles }] : []));

/** Form values → what a browser would post. */
function toFormData(values: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(values)) {
    if (Array.isArray(value))
      value.forEach((row: Record<string, string>, i) => Object.entries(row).forEach(([k, v]) => form.append(`${name}[${i}].${k}`, v)));
    else if (value === true) form.append(name, "on");
    else if (value !== false) form.append(name, String(value));
  }
  return form;
}

describe("the quote form's person rows", () => {
  it("draws principal, spouse and one row per allowed child", () => {
    const field = describeInputs(medicalFamily, ctx).find((f) => f.control === "persons")!;
    expect(personSlots(field).map((s) => `${s.role.value}${s.position}${s.required ? "!" : ""}`)).toEqual([
      "principal1!",
      "spouse1",
      "child1",
      "child2",
      "child3",
      "child4",
      "child5",
      "child6",
    ]);
  });

  it("drops empty rows, keeps a required one, and maps errors back to the rows shown", () => {
    const data = {
      persons: [
        { role: "principal", age: "" },
        { role: "spouse", age: "" },
        { role: "child", age: "4" },
        { role: "child", age: " " },
        { role: "child", age: "31" },
      ],
    };
    const { data: compacted, rows } = compactPersonRows(data, roles);
    expect(compacted.persons).toEqual([data.persons[0], data.persons[2], data.persons[4]]);
    expect(remapRowErrors({ "persons[0].age": ["a"], "persons[2].age": ["b"], persons: ["c"], inpatientLimit: ["d"] }, rows)).toEqual({
      "persons[0].age": ["a"],
      "persons[4].age": ["b"],
      persons: ["c"],
      inpatientLimit: ["d"],
    });
  });

  it("checks in the browser with the server's rules, errors on the visible rows", () => {
    const fields = describeInputs(medicalFamily, ctx);
    const payload = {
      inpatientLimit: "1m",
      frequency: "weekly",
      persons: [
        { role: "principal", age: "40" },
        { role: "spouse", age: "" },
        { role: "child", age: "30" },
      ],
    };
    const result = resolveQuoteForm(payload, medicalFamily, ctx, fields, ["annual", "monthly"]);
    expect(result.value).toBeUndefined();
    expect(result.error).toEqual({
      frequency: ["Choose how often to pay: Annually, Monthly"],
      "persons[2].age": ["Age must be between 0 and 24 for a child"],
    });
    const fine = resolveQuoteForm({ ...payload, frequency: "monthly", persons: payload.persons.slice(0, 2) }, medicalFamily, ctx, fields, [
      "annual",
      "monthly",
    ]);
    expect(fine.value).toEqual({
      frequency: "monthly",
      input: { inpatientLimit: "1m", outpatient: false, persons: [{ role: "principal", age: 40 }] },
    });
  });
});

describe("prefilling 'change options' from a saved quote", () => {
  it.each([
    [
      "motor",
      motorComprehensive,
      {
        vehicleValue: 234_567_800,
        yearOfManufacture: 2020,
        use: "commercial",
        excessProtector: true,
        politicalViolence: false,
        registrationNumber: "KDA 123A",
      },
    ],
    [
      "medical",
      medicalFamily,
      {
        inpatientLimit: "2m",
        outpatient: true,
        persons: [
          { role: "principal", age: 45 },
          { role: "child", age: 3 },
          { role: "child", age: 12 },
        ],
      },
    ],
  ])("gives back the same inputs when the prefilled %s form is sent unchanged", (_name, rating, inputs) => {
    const fields = describeInputs(rating, ctx);
    const values = formValuesFromInputs(fields, inputs, "KES");
    const { data } = formToRatingInput(toFormData(values), roles);
    const priced = priceQuote(rating, data, { ...ctx, levies: kenyaLevies });
    expect(priced.ok && priced.quote.input).toEqual(inputs);
  });
});
