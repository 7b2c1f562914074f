/**
 * The forms and links of a page as the server rendered it (our own React markup: attributes in
 * double quotes), so the fuzzer posts what a browser would post, with one field at a time made
 * hostile, and reaches the code behind the validation.
 */

export interface FormField {
  name: string;
  /** What the browser would send untouched (a checkbox only when checked). */
  value: string | null;
  kind: "text" | "hidden" | "file" | "choice" | "checkbox" | "textarea" | "submit";
}

export interface PageForm {
  method: "get" | "post";
  /** The path the form is sent to, with its query (e.g. `/admin/agents?index`). */
  action: string;
  multipart: boolean;
  fields: FormField[];
}

const decode = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

function attributes(tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const match of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?/g)) attrs[match[1]!.toLowerCase()] = decode(match[2] ?? "");
  return attrs;
}

/** Every form of the page, its action resolved against the page's own path. */
export function formsOf(html: string, pagePath: string): PageForm[] {
  const forms: PageForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const attrs = attributes(match[1]!);
    const body = match[2]!;
    const fields: FormField[] = [];
    for (const input of body.matchAll(/<input\b([^>]*)>/g)) {
      const a = attributes(input[1]!);
      if (!a.name) continue;
      const type = (a.type ?? "text").toLowerCase();
      if (type === "checkbox" || type === "radio")
        fields.push({ name: a.name, value: "checked" in a ? a.value || "on" : null, kind: "checkbox" });
      else if (type === "file") fields.push({ name: a.name, value: null, kind: "file" });
      else if (type === "submit") fields.push({ name: a.name, value: a.value ?? "", kind: "submit" });
      else fields.push({ name: a.name, value: a.value ?? "", kind: type === "hidden" ? "hidden" : "text" });
    }
    for (const select of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const a = attributes(select[1]!);
      if (!a.name) continue;
      const options = [...select[2]!.matchAll(/<option\b([^>]*)>/g)].map((o) => attributes(o[1]!));
      const chosen = options.find((o) => "selected" in o) ?? options[0];
      fields.push({ name: a.name, value: chosen?.value ?? "", kind: "choice" });
    }
    for (const area of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
      const a = attributes(area[1]!);
      if (a.name) fields.push({ name: a.name, value: decode(area[2]!), kind: "textarea" });
    }
    for (const button of body.matchAll(/<button\b([^>]*)>/g)) {
      const a = attributes(button[1]!);
      if (a.name) fields.push({ name: a.name, value: a.value ?? "", kind: "submit" });
    }
    forms.push({
      method: (attrs.method ?? "get").toLowerCase() === "post" ? "post" : "get",
      action: resolveAction(attrs.action, pagePath),
      multipart: (attrs.enctype ?? "").toLowerCase() === "multipart/form-data",
      fields,
    });
  }
  return forms;
}

function resolveAction(action: string | undefined, pagePath: string): string {
  if (!action) return pagePath;
  const url = new URL(action, `http://page${pagePath}`);
  return url.host === "page" ? `${url.pathname}${url.search}` : pagePath;
}

/** The same-site paths the page links to (hrefs and form actions), for finding real ids. */
export function linksOf(html: string): string[] {
  const links = new Set<string>();
  for (const match of html.matchAll(/\s(?:href|action)="(\/[^"]*)"/g)) {
    const href = decode(match[1]!);
    if (!href.startsWith("//")) links.add(href.split("#")[0]!);
  }
  return [...links];
}
