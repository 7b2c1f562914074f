import { createHash } from "node:crypto";
import { addMonths } from "~/modules/policies/schedule";
import { addDays, quoteDateIn } from "~/modules/rating/dates";
import type { Ago } from "./manifest";

/**
 * The demo history's calendar: every story is told relative to the moment seeding began (`now`),
 * in the agency's time zone, and every "random" detail (a time of day, a few minutes between two
 * steps) comes from a generator seeded by a fixed string, so a history seeded on the same day
 * comes out the same, and one seeded another day is the same year moved along.
 */
const LATEST_BEFORE_NOW_MS = 2 * 3_600_000;

export class DemoClock {
  readonly today: string;

  constructor(
    readonly now: Date,
    readonly timeZone: string,
  ) {
    this.today = quoteDateIn(timeZone, now);
  }

  /** The calendar day `ago` before today. */
  day(ago: Ago): string {
    return addDays(addMonths(this.today, -ago.months), -ago.days);
  }

  /**
   * An instant on a local calendar day, `minutes` after midnight there, and never later than two
   * hours before `now`: something that happened "today" happened before the seed ran, with time
   * left for what followed it that day (a payment some minutes after its checkout began).
   */
  at(day: string, minutes: number): Date {
    const [y, m, d] = day.split("-").map(Number) as [number, number, number];
    const wall = Date.UTC(y, m - 1, d, 0, minutes);
    const instant = new Date(wall - this.offsetMs(new Date(wall)));
    const latest = this.now.getTime() - LATEST_BEFORE_NOW_MS;
    return instant.getTime() > latest ? new Date(latest) : instant;
  }

  /** The local calendar day of an instant. */
  dayOf(instant: Date): string {
    return quoteDateIn(this.timeZone, instant);
  }

  /** The zone's offset from UTC at an instant (Nairobi +3 h, Kuala Lumpur +8 h, all year round). */
  private offsetMs(instant: Date): number {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone: this.timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    }).formatToParts(instant);
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
    return wall - Math.floor(instant.getTime() / 60_000) * 60_000;
  }
}

/** A small deterministic generator (mulberry32) seeded from a string: the same seed, the same numbers. */
export function seededRandom(seed: string): () => number {
  let state = createHash("sha256").update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A whole number in [min, max]. */
export function between(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** During opening hours, 08:30–17:30: minutes after midnight. */
export function officeHours(random: () => number): number {
  return between(random, 8 * 60 + 30, 17 * 60 + 30);
}
