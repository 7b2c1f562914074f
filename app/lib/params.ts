import type { Params } from "@remix-run/react";
import { lineText } from "~/lib/text";

const uuid = lineText().uuid();

/**
 * A route's id parameter, or a 404: a malformed id answers exactly as one that does not exist
 * (or belongs to another tenant, which RLS makes invisible).
 */
export function uuidParam(params: Params, name: string): string {
  const parsed = uuid.safeParse(params[name]);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  return parsed.data;
}
