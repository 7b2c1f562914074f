import { wallClockIn } from "~/lib/dates";
import { addDays } from "~/modules/rating/dates";

/**
 * Quiet hours (issue 14 item 4, decision 042): a window of the tenant's wall clock, "21:00" to
 * "07:00", that may cross midnight. `quietUntil` answers, for an instant, whether it falls inside
 * the window and if so the instant the window ends, in the tenant's time zone: the zone's offset is
 * read at the end itself, so a window ending after a daylight-saving change ends at the right hour.
 * A window whose start equals its end is empty.
 */
export function quietUntil(now: Date, timeZone: string, start: string, end: string): Date | null {
  const from = minutesOf(start);
  const to = minutesOf(end);
  if (from === to) return null;
  const local = wallClockIn(timeZone, now);
  const today = local.slice(0, 10);
  const at = minutesOf(local.slice(11));
  const inside = from < to ? at >= from && at < to : at >= from || at < to;
  if (!inside) return null;
  // A window across midnight entered this evening ends tomorrow morning.
  return instantOf(from > to && at >= from ? addDays(today, 1) : today, to, timeZone);
}

/** "HH:MM" or "HH:MM:SS" as minutes after midnight. */
export function minutesOf(time: string): number {
  const [hours, minutes] = time.split(":").map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/** The instant a zone's wall clock shows `date` at `minutes` after midnight. */
function instantOf(date: string, minutes: number, timeZone: string): Date {
  const [year, month, day] = date.split("-").map(Number);
  const wall = Date.UTC(year!, month! - 1, day!, Math.floor(minutes / 60), minutes % 60);
  // Guess with the offset at the wall time read as UTC, then correct once with the offset at the guess.
  const guess = wall - offsetAt(wall, timeZone);
  return new Date(wall - offsetAt(guess, timeZone));
}

/** How far a zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const minute = Math.floor(instant / 60_000) * 60_000;
  return Date.parse(`${wallClockIn(timeZone, new Date(minute))}Z`) - minute;
}
