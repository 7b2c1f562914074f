import type { MessageChannel } from "~db/schema";
import { EVENTS, type EventKey } from "./events";
import { compose, type Block, type Brand } from "./templates.server";

/**
 * Templates are text with {{variable}} placeholders (issue 14). Values are inserted as text:
 * email HTML escapes them (compose), in-app is rendered by React (escaped), SMS and WhatsApp are
 * plain text. In email, a paragraph that is only `[Label](url)` becomes a button, and only an
 * http(s) address makes a link.
 */
const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;
const BUTTON = /^\[([^\]\n]+)\]\(([^)\s]+)\)$/;

export function variablesIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** The variables a template uses that its event does not offer: refused on save. */
export function unknownVariables(event: EventKey, ...texts: (string | null | undefined)[]): string[] {
  const known = EVENTS[event].variables as Record<string, unknown>;
  return texts.flatMap((t) => (t ? variablesIn(t) : [])).filter((v, i, all) => !Object.hasOwn(known, v) && all.indexOf(v) === i);
}

export function fill(text: string, vars: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (_, key: string) => vars[key] ?? "");
}

export interface RenderedMessage {
  subject: string | null;
  text: string;
  html: string | null;
}

export function renderMessage(input: {
  channel: MessageChannel;
  event: string;
  subject?: string | null;
  body: string;
  vars: Record<string, string>;
  brand: Brand;
}): RenderedMessage {
  const subject = input.subject
    ? fill(input.subject, input.vars)
        .replace(/[\r\n]+/g, " ")
        .trim()
    : null;
  if (input.channel !== "email") return { subject, text: fill(input.body, input.vars).trim(), html: null };
  const blocks: Block[] = input.body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((paragraph) => {
      const button = BUTTON.exec(paragraph);
      if (button) {
        const href = fill(button[2]!, input.vars);
        const label = fill(button[1]!, input.vars);
        return /^https?:\/\//i.test(href) ? { label, href } : `${label}: ${href}`;
      }
      return fill(paragraph, input.vars);
    });
  const composed = compose(input.brand, input.event, subject ?? "", blocks);
  return { subject, text: composed.text, html: composed.html };
}
