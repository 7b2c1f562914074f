import { describe, expect, it } from "vitest";
import type { Language, MessageChannel } from "~db/schema";
import { EVENTS, type EventKey } from "../events";
import { renderMessage, unknownVariables } from "../render";
import { smsLength } from "../sms-segments";
import { DEFAULT_TEMPLATES } from ".";

const LANGUAGES: Language[] = ["en", "sw", "ms"];
const events = Object.keys(EVENTS) as EventKey[];
const samples = (event: EventKey) =>
  Object.fromEntries(Object.entries(EVENTS[event].variables as Record<string, { sample: string }>).map(([k, v]) => [k, v.sample]));
const pairs = events.flatMap((event) => (EVENTS[event].channels as MessageChannel[]).map((channel) => [event, channel] as const));

describe("the shipped default wording (issue 14, decision 040)", () => {
  it.each(LANGUAGES)("has a %s default, subject where the channel shows one, for every event on each of its channels", (language) => {
    const missing = pairs.filter(([event, channel]) => {
      const t = DEFAULT_TEMPLATES[language][event]?.[channel];
      return !t?.body.trim() || ((channel === "email" || channel === "in_app") && !t.subject?.trim());
    });
    expect(missing).toEqual([]);
  });

  it.each(LANGUAGES)("uses only variables its event declares (%s)", (language) => {
    const unknown = pairs.flatMap(([event, channel]) => {
      const t = DEFAULT_TEMPLATES[language][event]?.[channel];
      return unknownVariables(event, t?.subject, t?.body).map((v) => `${event}/${channel}: ${v}`);
    });
    expect(unknown).toEqual([]);
  });

  it.each(["sw", "ms"] as const)("is translated in %s, not a copy of the English", (language) => {
    const copies = pairs.filter(([event, channel]) => {
      const en = DEFAULT_TEMPLATES.en[event]?.[channel];
      const t = DEFAULT_TEMPLATES[language][event]?.[channel];
      return !en || !t || t.body === en.body || (en.subject !== undefined && t.subject === en.subject);
    });
    expect(copies).toEqual([]);
  });

  it.each(LANGUAGES)("keeps every %s SMS, filled with the samples, within two GSM-7 segments", (language) => {
    const long = pairs
      .filter(([, channel]) => channel === "sms")
      .flatMap(([event]) => {
        const t = DEFAULT_TEMPLATES[language][event]!.sms!;
        const { text } = renderMessage({
          channel: "sms",
          event,
          body: t.body,
          vars: samples(event),
          brand: { tenantName: "Bowman Insurance" },
        });
        const length = smsLength(text);
        return length.encoding === "gsm7" && length.segments <= 2 ? [] : [`${event}: ${length.encoding}, ${length.segments} segments`];
      });
    expect(long).toEqual([]);
  });

  it("has no default for a channel its event does not send on (it would never be used)", () => {
    const stray = LANGUAGES.flatMap((language) =>
      events.flatMap((event) =>
        Object.keys(DEFAULT_TEMPLATES[language][event] ?? {})
          .filter((channel) => !(EVENTS[event].channels as string[]).includes(channel))
          .map((channel) => `${language} ${event}/${channel}`),
      ),
    );
    expect(stray).toEqual([]);
  });
});
