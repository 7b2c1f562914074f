import type { z } from "zod";

/**
 * A list's filters from its URL (a link is shared, bookmarked and edited by hand): each value the
 * schema refuses is dropped, so the rest of the search still runs, and said, so the page never
 * silently shows a different search than the one asked for. A NUL or a line break in `?q=` is one
 * such value (docs/decisions/018-text-input-at-the-edge.md). Empty values count as not given.
 */
export function readFilters<T extends z.AnyZodObject>(
  schema: T,
  params: URLSearchParams,
  labels: Partial<Record<keyof z.input<T> & string, string>> = {},
): { filters: z.output<T>; ignored: string[] } {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = params.get(key);
    if (value) raw[key] = value;
  }
  const ignored: string[] = [];
  for (;;) {
    const parsed = schema.safeParse(raw);
    if (parsed.success) return { filters: parsed.data, ignored };
    const fields = new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? "")));
    // Every filter is optional, so dropping the refused ones must make the rest parse.
    if ([...fields].some((field) => !(field in raw))) throw parsed.error;
    for (const field of fields) {
      const message = parsed.error.issues.find((issue) => issue.path[0] === field)?.message ?? "Not a valid value.";
      ignored.push(`${labels[field as keyof typeof labels] ?? labelOf(field)}: ${message}`);
      delete raw[field];
    }
  }
}

const labelOf = (field: string) => (field === "q" ? "Search" : field.charAt(0).toUpperCase() + field.slice(1));
