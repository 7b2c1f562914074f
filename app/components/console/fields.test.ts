import type { FieldMetadata } from "@conform-to/react";
import { describe, expect, it } from "vitest";
import { selectProps } from "./fields";

// The parts of conform's field metadata that getSelectProps reads.
const field = (initialValue: unknown, multiple = false) =>
  ({
    id: "f",
    name: "categoryId",
    descriptionId: "f-d",
    errorId: "f-e",
    formId: "form",
    initialValue,
    required: true,
    multiple,
    valid: true,
  }) as unknown as FieldMetadata<string>;

describe("selectProps", () => {
  it("gives a single select one value when the field was posted twice", () => {
    expect(selectProps(field(["a", "b"])).defaultValue).toBe("a");
    expect(selectProps(field("a")).defaultValue).toBe("a");
    expect(selectProps(field(["a", "b"], true)).defaultValue).toEqual(["a", "b"]);
  });
});
