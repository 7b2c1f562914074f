import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { firstValue, SelectField } from "./fields";

const choices = [
  { value: "a", label: "A" },
  { value: "b", label: "B" },
];
const render = (defaultValue: string | string[], multiple = false) =>
  renderToString(createElement(SelectField, { id: "s", name: "s", label: "S", choices, defaultValue, multiple }));

describe("SelectField shown again with what was posted", () => {
  afterEach(() => vi.restoreAllMocks());

  it("selects the first value of a field that came back twice, without React's warning", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const html = render(["b", "a"]);
    expect(error).not.toHaveBeenCalled();
    expect(html.match(/<option[^>]*selected[^>]*>/g)).toEqual(['<option value="b" selected="">']);
  });

  it("reads one value of a list, or the value itself", () => {
    expect(firstValue(["fixed", "percent"])).toBe("fixed");
    expect(firstValue("percent")).toBe("percent");
    expect(firstValue(undefined)).toBeUndefined();
  });

  it("keeps every value of a multiple select", () => {
    expect(render(["a", "b"], true).match(/selected/g)).toHaveLength(2);
  });
});
