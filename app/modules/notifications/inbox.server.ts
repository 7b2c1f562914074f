import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import { exactTime, olderThan, type Position } from "~/lib/keyset.server";
import { safeRedirect } from "~/modules/auth/guards.server";

/**
 * The in-app notification centre (issue 14 item 1, docs/decisions/042-preferences-and-notification-centre.md):
 * a person's in-app messages are `messages` rows with channel 'in_app' and their user id (written
 * `delivered` by `queueMessage`); unread is `read_at is null`. Every query names the user, so one
 * person never sees nor marks another's.
 */

export const INBOX_PAGE_SIZE = 20;

/**
 * What the header needs for a signed-in person, in one query (the root loader runs it on every
 * page): the unread count (the partial index messages_in_app_unread) and, in an agency that runs an
 * agent network, whether they are a member (the "My benefits" tab, decision 035).
 */
export async function headerFacts(
  db: TenantDb,
  userId: string,
  options: { agentNetwork: boolean },
): Promise<{ unreadNotifications: number; member: boolean }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom("messages")
        .select((e) => e.fn.countAll<string>().as("n"))
        .where("channel", "=", "in_app")
        .where("user_id", "=", userId)
        .where("read_at", "is", null)
        .as("unread"),
      options.agentNetwork
        ? eb.exists(eb.selectFrom("members").select(sql.lit(1).as("one")).where("user_id", "=", userId)).as("member")
        : sql<boolean>`false`.as("member"),
    ])
    .executeTakeFirstOrThrow();
  return { unreadNotifications: Number(row.unread ?? 0), member: Boolean(row.member) };
}

export interface InboxItem {
  id: string;
  subject: string | null;
  text: string;
  link: string | null;
  createdAt: Date;
  read: boolean;
}

/** One page of a person's notifications, newest first. */
export async function inboxPage(db: TenantDb, userId: string, page: number): Promise<{ items: InboxItem[]; hasMore: boolean }> {
  const rows = await db
    .selectFrom("messages")
    .select(["id", "subject", "body_text", "link", "created_at", "read_at"])
    .where("channel", "=", "in_app")
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(INBOX_PAGE_SIZE + 1)
    .offset((page - 1) * INBOX_PAGE_SIZE)
    .execute();
  return {
    items: rows.slice(0, INBOX_PAGE_SIZE).map((r) => ({
      id: r.id,
      subject: r.subject,
      text: r.body_text,
      link: sameSitePath(r.link),
      createdAt: r.created_at,
      read: r.read_at !== null,
    })),
    hasMore: rows.length > INBOX_PAGE_SIZE,
  };
}

/** `limit` of a person's notifications after `after` (newest first), for the API's cursor pages. */
export async function inboxAfter(
  db: TenantDb,
  userId: string,
  after: Position | undefined,
  limit: number,
): Promise<(InboxItem & { cursorAt: string })[]> {
  let query = db
    .selectFrom("messages")
    .select(["id", "subject", "body_text", "link", "created_at", "read_at"])
    .select(exactTime("created_at").as("cursor_at"))
    .where("channel", "=", "in_app")
    .where("user_id", "=", userId);
  if (after) query = query.where(olderThan("created_at", "id", after));
  const rows = await query.orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    subject: r.subject,
    text: r.body_text,
    link: sameSitePath(r.link),
    createdAt: r.created_at,
    read: r.read_at !== null,
    cursorAt: r.cursor_at,
  }));
}

/**
 * Marks one of the person's notifications read and returns where it leads (its link when that is a
 * path on this site, else null); undefined when they have no such notification.
 */
export async function markRead(db: TenantDb, userId: string, messageId: string): Promise<{ link: string | null } | undefined> {
  const row = await db
    .updateTable("messages")
    .set({ read_at: sql<Date>`coalesce(read_at, now())` })
    .where("id", "=", messageId)
    .where("channel", "=", "in_app")
    .where("user_id", "=", userId)
    .returning("link")
    .executeTakeFirst();
  return row ? { link: sameSitePath(row.link) } : undefined;
}

/** Marks every unread notification of the person read; returns how many were. */
export async function markAllRead(db: TenantDb, userId: string): Promise<number> {
  const result = await db
    .updateTable("messages")
    .set({ read_at: new Date() })
    .where("channel", "=", "in_app")
    .where("user_id", "=", userId)
    .where("read_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * A notification's link is followed only when it is a path on the tenant's own site ("/account/…"),
 * by the same rule as any redirect target from input (`safeRedirect`): never "//elsewhere",
 * "https://…" or "javascript:". Anything else is shown without a link.
 */
export function sameSitePath(link: string | null): string | null {
  return safeRedirect(ANY_SITE, link, "") || null;
}

// The rule only compares a target's origin with the site's own: any origin will do.
const ANY_SITE = new Request("http://site.invalid/");
