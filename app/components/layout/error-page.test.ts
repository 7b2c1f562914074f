import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The developers' guide: every layout route has an ErrorBoundary, so a failing page shows an error
// in its section rather than replacing the whole site.
describe("layout routes", () => {
  const dir = path.resolve("app/routes");
  const layouts = readdirSync(dir).filter((f) => f.endsWith(".tsx") && /<Outlet\b/.test(readFileSync(path.join(dir, f), "utf8")));

  it("are found", () => expect(layouts.length).toBeGreaterThanOrEqual(4));

  it.each(layouts)("%s has an ErrorBoundary", (file) => {
    expect(readFileSync(path.join(dir, file), "utf8")).toMatch(/export (const|function) ErrorBoundary\b/);
  });
});
