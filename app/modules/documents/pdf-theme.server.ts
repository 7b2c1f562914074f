/**
 * The look every customer-facing PDF shares (certificate, receipt, comparison): the agency's own
 * letterhead, colours and footer, A4, with money and dates in the tenant's locale, currency and
 * time zone. Documents are rendered from plain data with @react-pdf/renderer — no database here.
 *
 * This file is `.ts` on purpose (the agreed name), so its components are written with
 * `createElement` rather than JSX; documents import it as `./pdf-theme.server`.
 *
 * Fonts: the PDF standard fonts (Helvetica), which need no font files and keep documents small.
 * They cover Latin-1 / Windows-1252 only; `pdfText` folds or replaces anything else, so a name in
 * another script shows as "?" rather than as garbage. Embedding a Unicode TTF is the follow-up
 * when an agency needs non-Latin names on documents.
 *
 * Logos: PNG and JPEG only, from a `data:` URL or a file under `public/` (e.g.
 * `/tenants/acme/logo.png`). react-pdf cannot draw SVG files in <Image>, and we rasterise nothing,
 * so an SVG (or missing, remote, unreadable) logo falls back to a monogram tile in the brand colour
 * beside the agency name. Remote URLs are never fetched while rendering.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { createElement as h, type ReactNode } from "react";
import { Font, Image, Page, StyleSheet, Text, View } from "@react-pdf/renderer";
import type { Language, TenantBranding, TenantContact } from "~db/schema";
import { formatDate, formatDateTime } from "~/lib/dates";
import { intlLocale } from "~/lib/languages";
import { formatMoney } from "~/lib/money";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";

// Reference numbers, URLs and e-mail addresses must never be hyphenated across lines.
// (Letter spacing stays at or below ~0.5pt: wider, and PDF readers extract "P O L I C Y".)
Font.registerHyphenationCallback((word) => [word]);

// ---------------------------------------------------------------------------------------------
// Data

/** The agency as it appears on its documents. */
export interface DocumentTenant {
  name: string;
  /** PNG/JPEG under public/ or a data: URL; anything else shows the monogram (see above). */
  logoUrl?: string;
  tagline?: string;
  colors: TenantBranding["colors"];
  contact: TenantContact;
  /** Regulatory line for the footer; defaults to `contact.licence`. */
  licence?: string;
}

/** Where a document's numbers and dates are shown: the tenant's locale, currency and zone. */
export interface DocumentLocale {
  locale: string;
  timeZone: string;
  currency: string;
}

export interface AmountLine {
  label: string;
  amountMinor: number;
}

/** The tenant as a document sees it, from the per-request tenant info. */
export function documentTenantOf(tenant: Pick<TenantInfo, "name" | "branding" | "contact">): DocumentTenant {
  return {
    name: tenant.name,
    logoUrl: tenant.branding.logoUrl,
    tagline: tenant.branding.tagline,
    colors: tenant.branding.colors,
    contact: tenant.contact,
    licence: tenant.contact.licence,
  };
}

// ---------------------------------------------------------------------------------------------
// Text and formatting

// Windows-1252 code points outside Latin-1 that the standard fonts can draw.
const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");

/**
 * Text the standard PDF fonts can draw: unusual spaces (Intl uses U+202F/U+2009 in some formats)
 * become ordinary ones, accents outside Latin-1 are folded (ą → a), anything else becomes "?".
 */
export function pdfText(value: string): string {
  let out = "";
  for (const ch of value.replace(/[\u2000-\u200a\u202f\u205f\u3000]/g, " ").replace(/[\u200b-\u200d\u2060\ufeff]/g, "")) {
    const code = ch.codePointAt(0)!;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || ch === "\n" || WIN_ANSI_EXTRA.has(ch)) {
      out += ch;
      continue;
    }
    const folded = ch.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    out += folded && [...folded].every((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) <= 0x7e) ? folded : "?";
  }
  return out;
}

/**
 * A personal identifier as it may be printed: at most the last `visible` letters/digits shown,
 * the rest starred, separators kept ("900101-14-1234" → "******-**-1234"). Values that arrive
 * already masked pass through unchanged; this is the last line of defence, not the masking rule.
 */
export function ensureMasked(value: string, visible = 4): string {
  const clear = [...value].filter((c) => /[\p{L}\p{N}]/u.test(c)).length;
  if (clear <= visible) return value;
  let toHide = clear - visible;
  return [...value].map((c) => (toHide > 0 && /[\p{L}\p{N}]/u.test(c) ? (toHide--, "*") : c)).join("");
}

/**
 * A phone number as it may be printed. One that arrives masked ("+254 7** *** 678") may keep the
 * country code, a prefix digit and the last three; one that arrives in the clear keeps only the
 * last three digits.
 */
export function ensureMaskedPhone(value: string): string {
  return ensureMasked(value, value.includes("*") ? 7 : 3);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Money and dates for one document, in the tenant's locale, currency and time zone. */
export function documentFormat({ locale, timeZone, currency }: DocumentLocale) {
  const zoneName = (value: Date | string) =>
    new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "short" })
      .formatToParts(new Date(value))
      .find((p) => p.type === "timeZoneName")?.value ?? timeZone;
  return {
    money: (minor: number) => pdfText(formatMoney(minor, currency, locale)),
    /** A calendar date ("2026-04-01") is shown as that day; an instant, as its day in the tenant's zone. */
    date: (value: Date | string) =>
      pdfText(
        typeof value === "string" && DATE_ONLY.test(value)
          ? formatDate(`${value}T00:00:00Z`, locale, "UTC")
          : formatDate(value, locale, timeZone),
      ),
    dateTime: (value: Date | string) => pdfText(`${formatDateTime(value, locale, timeZone)} ${zoneName(value)}`),
    /** "00:30 EAT" for an instant; nothing for a calendar date. */
    time: (value: Date | string) =>
      typeof value === "string" && DATE_ONLY.test(value)
        ? undefined
        : pdfText(`${new Intl.DateTimeFormat(locale, { timeStyle: "short", timeZone }).format(new Date(value))} ${zoneName(value)}`),
  };
}
export type DocumentFormat = ReturnType<typeof documentFormat>;

/** Refuses a document whose money does not add up; such a document must never be issued. */
export function assertAddsUp(what: string, parts: number[], totalMinor: number): void {
  for (const part of [...parts, totalMinor]) {
    if (!Number.isSafeInteger(part)) throw new RangeError(`${what}: amounts must be integer minor units (got ${part})`);
  }
  const sum = parts.reduce((a, b) => a + b, 0);
  if (sum !== totalMinor) throw new RangeError(`${what}: lines add up to ${sum}, but the total is ${totalMinor}`);
}

// ---------------------------------------------------------------------------------------------
// Logo

export type LogoImage = { data: Buffer; format: "png" | "jpg" };

/** PNG/JPEG bytes for the agency's logo, or null to show the monogram instead. */
export async function loadLogo(logoUrl: string | undefined, publicDir = path.resolve("public")): Promise<LogoImage | null> {
  if (!logoUrl) return null;
  let data: Buffer;
  const dataUrl = /^data:image\/(png|jpe?g);base64,(.+)$/i.exec(logoUrl);
  if (dataUrl) {
    data = Buffer.from(dataUrl[2]!, "base64");
  } else if (logoUrl.startsWith("/") && /\.(png|jpe?g)$/i.test(logoUrl)) {
    const file = path.resolve(publicDir, `.${path.posix.normalize(logoUrl)}`);
    if (!file.startsWith(publicDir + path.sep)) return null;
    try {
      data = await readFile(file);
    } catch {
      return null;
    }
  } else {
    return null;
  }
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { data, format: "png" };
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return { data, format: "jpg" };
  return null;
}

/** Up to two initials for the monogram: "Bowman Insurance" → "BI", "KHHoldings" → "KH". */
export function monogram(name: string): string {
  const words = pdfText(name)
    .split(/[\s&.,-]+/)
    .filter((w) => /[A-Za-z0-9]/.test(w));
  if (words.length >= 2) return (words[0]![0]! + words[1]![0]!).toUpperCase();
  const word = words[0] ?? "?";
  const caps = word.match(/[A-Z]/g);
  return (caps && caps.length >= 2 ? caps.slice(0, 2).join("") : word.slice(0, 2)).toUpperCase();
}

// ---------------------------------------------------------------------------------------------
// Styles

export const PAGE_MARGIN = 42;
const FOOTER_HEIGHT = 70;
export const MUTED = "#5f6b66";
export const HAIRLINE = "#d9dfdc";

export function documentStyles(colors: DocumentTenant["colors"]) {
  return StyleSheet.create({
    page: {
      fontFamily: "Helvetica",
      fontSize: 9.5,
      color: colors.text,
      paddingTop: 34,
      paddingBottom: FOOTER_HEIGHT + 24,
      paddingHorizontal: PAGE_MARGIN,
      backgroundColor: "#ffffff",
    },
    // Line height is set per text style, never on the page or a view: react-pdf 4.x drops an
    // absolutely placed view holding a `render` text (the page number) when the page sets
    // lineHeight, and a multiplier on a view is resolved against the default 18pt font.
    // Letterhead
    letterhead: { flexDirection: "row", justifyContent: "space-between", alignItems: "center" },
    brand: { flexDirection: "row", alignItems: "center", maxWidth: "56%" },
    logo: { height: 46, maxWidth: 160, objectFit: "contain", marginRight: 12 },
    monogram: {
      width: 46,
      height: 46,
      borderRadius: 9,
      backgroundColor: colors.primary,
      marginRight: 12,
      alignItems: "center",
      justifyContent: "center",
    },
    monogramText: { color: colors.primaryContrast, fontFamily: "Helvetica-Bold", fontSize: 17, letterSpacing: 0.5 },
    agencyName: { fontFamily: "Helvetica-Bold", fontSize: 17, color: colors.primary, lineHeight: 1.15 },
    tagline: { fontSize: 8, color: MUTED, marginTop: 2, maxWidth: 250 },
    contactBlock: { alignItems: "flex-end", maxWidth: "44%" },
    contactLine: { fontSize: 7.8, color: MUTED, textAlign: "right", lineHeight: 1.4 },
    rule: { flexDirection: "row", marginTop: 14, marginBottom: 18, height: 3 },
    ruleAccent: { width: 64, backgroundColor: colors.accent },
    rulePrimary: { flexGrow: 1, backgroundColor: colors.primary },
    // Title block
    titleRow: { flexDirection: "row", justifyContent: "space-between", alignItems: "flex-end", marginBottom: 14 },
    eyebrow: { fontSize: 7.5, color: MUTED, letterSpacing: 0.5, textTransform: "uppercase", marginBottom: 3 },
    title: { fontFamily: "Helvetica-Bold", fontSize: 21, color: colors.primary, letterSpacing: 0.3 },
    reference: { alignItems: "flex-end" },
    referenceValue: { fontFamily: "Helvetica-Bold", fontSize: 12, color: colors.text },
    pill: {
      alignSelf: "flex-end",
      marginTop: 5,
      paddingVertical: 2.5,
      paddingHorizontal: 8,
      borderRadius: 8,
      fontFamily: "Helvetica-Bold",
      fontSize: 7.5,
      letterSpacing: 0.3,
    },
    lead: { fontSize: 9.5, lineHeight: 1.45, color: colors.text, marginBottom: 14 },
    // Sections
    section: { marginBottom: 14 },
    sectionTitle: {
      fontFamily: "Helvetica-Bold",
      fontSize: 8,
      color: colors.primary,
      letterSpacing: 0.5,
      textTransform: "uppercase",
      paddingBottom: 4,
      marginBottom: 6,
      borderBottomWidth: 0.75,
      borderBottomColor: HAIRLINE,
    },
    columns: { flexDirection: "row", gap: 18 },
    column: { flex: 1 },
    field: { flexDirection: "row", marginBottom: 3.5 },
    fieldLabel: { width: 96, color: MUTED, fontSize: 8.5, lineHeight: 1.35 },
    fieldValue: { flex: 1, fontFamily: "Helvetica-Bold", fontSize: 9.5, lineHeight: 1.3 },
    panel: { backgroundColor: colors.surface, borderRadius: 6, padding: 12 },
    // Tables
    table: { borderWidth: 0.75, borderColor: HAIRLINE, borderRadius: 4 },
    tableHead: { flexDirection: "row", backgroundColor: colors.surface, paddingVertical: 5, paddingHorizontal: 8 },
    tableHeadCell: { fontFamily: "Helvetica-Bold", fontSize: 7.5, color: MUTED, letterSpacing: 0.3, textTransform: "uppercase" },
    tableRow: { flexDirection: "row", paddingVertical: 5, paddingHorizontal: 8, borderTopWidth: 0.75, borderTopColor: HAIRLINE },
    tableSubtotal: { flexDirection: "row", paddingVertical: 5, paddingHorizontal: 8, borderTopWidth: 0.75, borderTopColor: colors.text },
    tableTotal: {
      flexDirection: "row",
      paddingVertical: 7,
      paddingHorizontal: 8,
      backgroundColor: colors.primary,
      borderBottomLeftRadius: 3,
      borderBottomRightRadius: 3,
    },
    tableTotalText: { fontFamily: "Helvetica-Bold", fontSize: 10.5, color: colors.primaryContrast },
    cellGrow: { flex: 1, paddingRight: 8 },
    cellAmount: { width: 120, textAlign: "right" },
    muted: { color: MUTED },
    small: { fontSize: 8, lineHeight: 1.4 },
    bold: { fontFamily: "Helvetica-Bold" },
    // Footer
    footer: { position: "absolute", left: PAGE_MARGIN, right: PAGE_MARGIN, bottom: 24 },
    footerNote: { fontSize: 8, color: colors.text, marginBottom: 6 },
    footerRule: { height: 0.75, backgroundColor: HAIRLINE, marginBottom: 6 },
    footerRow: { flexDirection: "row", justifyContent: "space-between", alignItems: "flex-start" },
    footerText: { fontSize: 7.3, color: MUTED, lineHeight: 1.4, maxWidth: "85%" },
    footerPage: { fontSize: 7.3, color: MUTED },
    link: { color: colors.primary, textDecoration: "none" },
  });
}
export type DocumentStyles = ReturnType<typeof documentStyles>;

// ---------------------------------------------------------------------------------------------
// Building blocks (createElement; see the file comment)

type Children = ReactNode;

/** The agency's letterhead: logo or monogram, name, tagline; contact details on the right. */
export function Letterhead({ tenant, logo, styles }: { tenant: DocumentTenant; logo: LogoImage | null; styles: DocumentStyles }) {
  const { contact } = tenant;
  const contactLines = [contact.address, contact.phone, contact.email].filter((l): l is string => Boolean(l));
  return h(
    View,
    { fixed: true },
    h(
      View,
      { style: styles.letterhead },
      h(
        View,
        { style: styles.brand },
        logo
          ? h(Image, { style: styles.logo, src: logo })
          : h(View, { style: styles.monogram }, h(Text, { style: styles.monogramText }, monogram(tenant.name))),
        h(
          View,
          null,
          h(Text, { style: styles.agencyName }, pdfText(tenant.name)),
          tenant.tagline ? h(Text, { style: styles.tagline }, pdfText(tenant.tagline)) : null,
        ),
      ),
      h(
        View,
        { style: styles.contactBlock },
        contactLines.map((line) => h(Text, { key: line, style: styles.contactLine }, pdfText(line))),
      ),
    ),
    h(View, { style: styles.rule }, h(View, { style: styles.ruleAccent }), h(View, { style: styles.rulePrimary })),
  );
}

/** Document title on the left ("Certificate of insurance"), its number and status on the right. */
export function TitleBlock(props: {
  styles: DocumentStyles;
  eyebrow: string;
  title: string;
  referenceLabel: string;
  reference: string;
  pill?: { label: string; color: string; background: string };
}) {
  const { styles } = props;
  return h(
    View,
    { style: styles.titleRow },
    h(View, null, h(Text, { style: styles.eyebrow }, pdfText(props.eyebrow)), h(Text, { style: styles.title }, pdfText(props.title))),
    h(
      View,
      { style: styles.reference },
      h(Text, { style: styles.eyebrow }, pdfText(props.referenceLabel)),
      h(Text, { style: styles.referenceValue }, pdfText(props.reference)),
      props.pill
        ? h(
            View,
            { style: [styles.pill, { backgroundColor: props.pill.background }] },
            h(Text, { style: { color: props.pill.color } }, pdfText(props.pill.label)),
          )
        : null,
    ),
  );
}

export function Section({
  styles,
  title,
  children,
  wrap = false,
}: {
  styles: DocumentStyles;
  title: string;
  children: Children;
  wrap?: boolean;
}) {
  return h(View, { style: styles.section, wrap }, h(Text, { style: styles.sectionTitle }, pdfText(title)), children);
}

/** One "label: value" line; a missing value prints nothing. */
export function Field({ styles, label, value }: { styles: DocumentStyles; label: string; value: string | undefined | null }) {
  if (!value) return null;
  return h(
    View,
    { style: styles.field },
    h(Text, { style: styles.fieldLabel }, pdfText(label)),
    h(Text, { style: styles.fieldValue }, pdfText(value)),
  );
}

/** One headline figure of a summary panel (a receipt's amount paid, a statement's totals): its label, then the value in bold. */
export function Summary({
  styles,
  label,
  value,
  large,
  color,
}: {
  styles: DocumentStyles;
  label: string;
  value: string;
  large?: boolean;
  color?: string;
}) {
  return h(
    View,
    { style: { flex: 1 } },
    h(Text, { style: styles.eyebrow }, pdfText(label)),
    h(Text, { style: { fontFamily: "Helvetica-Bold", fontSize: large ? 15 : 10.5, color } }, pdfText(value)),
  );
}

/** A two-column money table: lines, then the total on a brand-coloured bar. */
export function AmountTable(props: {
  styles: DocumentStyles;
  fmt: DocumentFormat;
  heading: [string, string];
  lines: { label: string; detail?: string; amountMinor: number }[];
  /** A "Subtotal" row after the first `count` lines (e.g. items before levies). */
  subtotal?: { label: string; count: number };
  totalLabel: string;
  totalMinor: number;
}) {
  const { styles, fmt, subtotal } = props;
  const row = (
    line: { label: string; detail?: string; amountMinor: number },
    key: string | number,
    style = styles.tableRow,
    bold = false,
  ) =>
    h(
      View,
      { key, style, wrap: false },
      h(
        View,
        { style: styles.cellGrow },
        h(Text, { style: bold ? styles.bold : undefined }, pdfText(line.label)),
        line.detail ? h(Text, { style: [styles.small, styles.muted] }, pdfText(line.detail)) : null,
      ),
      h(Text, { style: bold ? [styles.cellAmount, styles.bold] : styles.cellAmount }, fmt.money(line.amountMinor)),
    );
  const rows = props.lines.map((line, i) => row(line, i));
  if (subtotal && subtotal.count > 0 && subtotal.count < props.lines.length) {
    const amountMinor = props.lines.slice(0, subtotal.count).reduce((sum, l) => sum + l.amountMinor, 0);
    rows.splice(subtotal.count, 0, row({ label: subtotal.label, amountMinor }, "subtotal", styles.tableSubtotal, true));
  }
  return h(
    View,
    { style: styles.table },
    h(
      View,
      { style: styles.tableHead },
      h(Text, { style: [styles.tableHeadCell, styles.cellGrow] }, pdfText(props.heading[0])),
      h(Text, { style: [styles.tableHeadCell, styles.cellAmount] }, pdfText(props.heading[1])),
    ),
    rows,
    h(
      View,
      { style: styles.tableTotal },
      h(Text, { style: [styles.tableTotalText, styles.cellGrow] }, pdfText(props.totalLabel)),
      h(Text, { style: [styles.tableTotalText, styles.cellAmount] }, fmt.money(props.totalMinor)),
    ),
  );
}

/**
 * The language a person's documents are written in (issue 14): the one on their account if the
 * agency offers it, else the agency's default — never the language of whoever's request (an
 * admin, a job) happened to render them — and the Intl locale that goes with it ("sw-KE").
 */
export function readerLanguage(
  tenant: Pick<TenantInfo, "languages" | "defaultLanguage" | "homeLocale">,
  chosen: Language | null | undefined,
): { language: Language; locale: string } {
  const language = chosen && tenant.languages.includes(chosen) ? chosen : tenant.defaultLanguage;
  return { language, locale: intlLocale(language, tenant.homeLocale) };
}

/** "Page x of y" in the reader's language (serverT(language, "documents")'s `page`); English by default. */
export type PageLabel = (page: number, total: number) => string;
const englishPages: PageLabel = (page, total) => `Page ${page} of ${total}`;

/** Footer on every page: an optional note (e.g. how to verify), the licence and address, page x of y. */
export function Footer({
  tenant,
  styles,
  note,
  pageLabel = englishPages,
}: {
  tenant: DocumentTenant;
  styles: DocumentStyles;
  note?: Children;
  pageLabel?: PageLabel;
}) {
  const licence = tenant.licence ?? tenant.contact.licence;
  const contact = [tenant.contact.phone, tenant.contact.email].filter(Boolean).join("  |  ");
  return h(
    View,
    { style: styles.footer, fixed: true },
    note ? h(View, { style: styles.footerNote }, note) : null,
    h(View, { style: styles.footerRule }),
    h(
      View,
      { style: styles.footerRow },
      h(
        View,
        { style: styles.footerText },
        h(Text, { style: styles.bold }, pdfText([tenant.name, licence].filter(Boolean).join(" - "))),
        h(Text, null, pdfText([tenant.contact.address, contact].filter(Boolean).join("  |  "))),
      ),
      h(Text, {
        style: styles.footerPage,
        render: ({ pageNumber, totalPages }: { pageNumber: number; totalPages: number }) => pageLabel(pageNumber, totalPages),
      }),
    ),
  );
}

/**
 * One A4 page of a document: the body (letterhead first, flowing onto more pages if it must) and
 * the footer on every page.
 */
export function DocumentPage({
  tenant,
  styles,
  footerNote,
  pageLabel,
  children,
}: {
  tenant: DocumentTenant;
  styles: DocumentStyles;
  footerNote?: Children;
  pageLabel?: PageLabel;
  children: Children;
}) {
  return h(Page, { size: "A4", style: styles.page }, h(View, null, children), h(Footer, { tenant, styles, note: footerNote, pageLabel }));
}

/**
 * A URL cut into lines of at most `width` characters, after "/", "?", "&" or "=" where it can, so a
 * long link wraps cleanly in a narrow box (words are never hyphenated here).
 */
export function urlLines(url: string, width: number): string[] {
  const parts = url.split(/(?<=[/?&=])/);
  const lines: string[] = [];
  let current = "";
  for (let part of parts) {
    while (part.length > width) {
      if (current) lines.push(current);
      current = "";
      lines.push(part.slice(0, width));
      part = part.slice(width);
    }
    if (current && current.length + part.length > width) {
      lines.push(current);
      current = "";
    }
    current += part;
  }
  if (current) lines.push(current);
  return lines;
}

/** Metadata every document carries. */
/** The PDF's metadata, its language the reader's (screen readers and search use it). */
export function documentMeta(tenant: DocumentTenant, title: string, subject: string, createdAt: Date | string, language: Language = "en") {
  return {
    title: pdfText(title),
    author: pdfText(tenant.name),
    subject: pdfText(subject),
    creator: pdfText(`${tenant.name} (Covera)`),
    producer: "Covera",
    language,
    // Stable across re-renders of the same document (a retried job produces the same file).
    creationDate: new Date(createdAt),
    modificationDate: new Date(createdAt),
  };
}
