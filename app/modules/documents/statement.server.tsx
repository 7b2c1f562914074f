/**
 * The monthly commission statement: what one agent earned in a closed month, entry by entry, and
 * what is paid out (or carried forward, and why). Rendered from plain data on the agency's
 * letterhead; the letterhead, a running line with the agent and month, and the footer with page
 * numbers repeat on every page, so a statement of hundreds of entries reads like one of five.
 *
 * Entries are grouped by kind: earnings (per product, payment frequency and tier, with the selling
 * agent for tiers above 1), clawbacks, cap adjustments and dispute adjustments. The totals must add
 * up to the minor unit (earned − held in dispute + brought forward = payable), or nothing is rendered.
 */
import { Document, Text, View, renderToBuffer } from "@react-pdf/renderer";
import type { TFunction } from "i18next";
import type { ReactNode } from "react";
import type { Language } from "~db/schema";
import { formatRate } from "~/modules/commissions/calculate";
import { serverT } from "~/modules/i18n/i18n.server";
import type { Frequency } from "~/modules/rating/rules";
import {
  DocumentPage,
  Field,
  Letterhead,
  MUTED,
  HAIRLINE,
  Section,
  Summary,
  TitleBlock,
  assertAddsUp,
  documentFormat,
  documentMeta,
  documentStyles,
  ensureMasked,
  loadLogo,
  pdfText,
  type DocumentFormat,
  type DocumentStyles,
  type DocumentTenant,
  type LogoImage,
} from "./pdf-theme.server";

export type StatementEntryKind = "earning" | "clawback" | "cap" | "adjustment" | "performance_bonus" | "team_bonus";

export interface StatementEntry {
  kind: StatementEntryKind;
  /** An entry replaced by a dispute's adjustment ("adjusted") is listed but not counted. */
  status: "pending" | "approved" | "disputed" | "paid" | "adjusted";
  /** When it was earned (the payment's moment; for a clawback, the original sale's). */
  earnedAt: Date | string;
  productName: string | null;
  frequency: Frequency | null;
  tier: number | null;
  /** The agent who made the sale (shown for tiers above 1). */
  sellerAgentNumber: string | null;
  /** The upline whose share passed up to this agent, when it did. */
  passedFromAgentNumber: string | null;
  baseMinor: number | null;
  /** Percentage rules: the rate; fixed rules: the fixed amount. */
  rateBp: number | null;
  fixedMinor: number | null;
  /** Cap adjustments, and earnings a running cap cut: the rule's monthly cap. */
  capMinor: number | null;
  /** Earnings: what the monthly cap kept back (the amount is what is paid). */
  withheldMinor?: number | null;
  /** Clawbacks and adjustments: the entry they correct (its amount). */
  reversesAmountMinor: number | null;
  /** Clawbacks: the sale was charged back (a lost chargeback), not refunded. */
  chargedBack?: boolean;
  /** Bonuses and their clawbacks (decision 048): the bonus's name; a team bonus's levels. */
  bonusName?: string | null;
  bonusLevels?: number | null;
  note: string | null;
  amountMinor: number;
}

export interface StatementData {
  tenant: DocumentTenant;
  /** The agent's language (readerLanguage): the words are in it; English if absent. */
  language?: Language;
  locale: string;
  timeZone: string;
  currency: string;
  /** "November 2026", "Novemba 2026": the month in the reader's locale (monthLabel). */
  monthLabel: string;
  /** When the month closed (the statement's date; also its PDF dates, so a re-render is the same file). */
  issuedAt: Date | string;
  agent: {
    name: string;
    agentNumber: string;
    bankName: string | null;
    /** Already masked ("•••• 6789"); masked again here as the last line of defence. */
    bankAccountMasked: string | null;
    bankAccountHolder: string | null;
  };
  entries: StatementEntry[];
  totals: {
    /** The month's entries (the statement's earned amount). */
    earnedMinor: number;
    /** This month's entries under dispute at the close: not paid until resolved. */
    heldMinor: number;
    /** Approved and unpaid from earlier months (a negative balance carried in is negative). */
    broughtForwardMinor: number;
    payableMinor: number;
  };
  payment: { kind: "paid"; batchReference: string } | { kind: "carried"; reason: "no_bank_details" | "not_positive" };
}

/** Above this many entries, earnings are summed per product, frequency and tier instead of listed. */
export const MAX_LISTED_ENTRIES = 3000;

export async function renderStatementPdf(data: StatementData): Promise<Buffer> {
  const { totals } = data;
  assertAddsUp(
    `statement ${data.agent.agentNumber} ${data.monthLabel}`,
    [totals.earnedMinor, -totals.heldMinor, totals.broughtForwardMinor],
    totals.payableMinor,
  );
  for (const e of data.entries) {
    if (!Number.isSafeInteger(e.amountMinor))
      throw new RangeError(`statement ${data.agent.agentNumber}: amounts must be integer minor units`);
  }
  const [logo, t] = await Promise.all([loadLogo(data.tenant.logoUrl), serverT(data.language ?? "en", "documents")]);
  return renderToBuffer(<StatementDocument data={data} logo={logo} t={t} />);
}

/** Paid in which batch, or carried forward and why. */
function paymentLine(payment: StatementData["payment"], t: TFunction): string {
  return payment.kind === "paid"
    ? t("statement.paidInBatch", { reference: payment.batchReference })
    : t("statement.carried", { reason: t(`statement.carriedReason.${payment.reason}`) });
}

// ---------------------------------------------------------------------------------------------
// Grouping

const counted = (e: StatementEntry) => e.status !== "adjusted";
const sum = (entries: StatementEntry[]) => entries.filter(counted).reduce((total, e) => total + e.amountMinor, 0);

/** The clawbacks section's title, by what they reversed: refunded sales, charged-back ones, or both. */
function clawbacksTitle(entries: StatementEntry[], t: TFunction): string {
  const chargedBack = entries.filter((e) => e.chargedBack).length;
  const sources = chargedBack === 0 ? "refunded" : chargedBack === entries.length ? "chargedBack" : "both";
  return t(`statement.clawbacks.${sources}`);
}

function productLine(e: Pick<StatementEntry, "productName" | "frequency" | "tier">, t: TFunction): string {
  return [
    e.productName ?? t("statement.product"),
    e.frequency ? t(`frequency.${e.frequency}`) : null,
    e.tier ? t("statement.tier", { tier: e.tier }) : null,
  ]
    .filter(Boolean)
    .join(" · ");
}

interface EarningGroup {
  key: string;
  title: string;
  entries: StatementEntry[];
}

/** Earnings per product, frequency and tier: product name, then frequency, then tier. */
export function earningGroups(entries: StatementEntry[], t: TFunction): EarningGroup[] {
  const order: Frequency[] = ["monthly", "quarterly", "semi_annual", "annual"];
  const groups = new Map<string, EarningGroup>();
  for (const e of entries) {
    if (e.kind !== "earning") continue;
    const key = `${e.productName ?? ""}|${e.frequency ?? ""}|${e.tier ?? 0}`;
    let g = groups.get(key);
    if (!g) {
      const who = t(e.tier === 1 ? "statement.ownSales" : "statement.downlineSales");
      g = { key, title: `${productLine(e, t)} (${who})`, entries: [] };
      groups.set(key, g);
    }
    g.entries.push(e);
  }
  const rank = (g: EarningGroup) => {
    const e = g.entries[0]!;
    return [e.productName ?? "", e.frequency ? order.indexOf(e.frequency) : 9, e.tier ?? 0] as const;
  };
  return [...groups.values()].sort((a, b) => {
    const [pa, fa, ta] = rank(a);
    const [pb, fb, tb] = rank(b);
    return pa.localeCompare(pb) || fa - fb || ta - tb;
  });
}

// ---------------------------------------------------------------------------------------------
// The document

const COL = { date: 58, base: 70, rate: 66, amount: 74 };

function StatementDocument({ data, logo, t }: { data: StatementData; logo: LogoImage | null; t: TFunction }) {
  const { tenant, agent, totals } = data;
  const styles = documentStyles(tenant.colors);
  const fmt = documentFormat(data);
  const title = t("statement.title", { month: data.monthLabel });
  const running = `${title}  |  ${t("statement.agentRunning", { number: agent.agentNumber })}  |  ${agent.name}`;
  const earnings = earningGroups(data.entries, t);
  const listed = data.entries.length <= MAX_LISTED_ENTRIES;
  const clawbacks = data.entries.filter((e) => e.kind === "clawback");
  const caps = data.entries.filter((e) => e.kind === "cap");
  const adjustments = data.entries.filter((e) => e.kind === "adjustment");
  const bonuses = data.entries.filter((e) => e.kind === "performance_bonus" || e.kind === "team_bonus");
  const hasBank = Boolean(agent.bankAccountMasked);

  return (
    <Document {...documentMeta(tenant, title, t("statement.subject", { number: agent.agentNumber }), data.issuedAt, data.language)}>
      <DocumentPage
        tenant={tenant}
        styles={styles}
        pageLabel={(page, total) => t("page", { page, total })}
        footerNote={<Text>{pdfText(t("statement.footer", { number: agent.agentNumber }))}</Text>}
      >
        <Letterhead tenant={tenant} logo={logo} styles={styles} />
        {/* From page 2 on, a running line above the letterhead says whose statement this is. */}
        <View fixed style={{ position: "absolute", top: -22, left: 0, right: 0 }}>
          <Text
            style={{ fontSize: 7.3, color: MUTED }}
            render={({ pageNumber }: { pageNumber: number }) => (pageNumber > 1 ? pdfText(running) : "")}
          />
        </View>

        <TitleBlock
          styles={styles}
          eyebrow={t("statement.date", { date: fmt.date(data.issuedAt) })}
          title={title}
          referenceLabel={t("statement.agentNumber")}
          reference={agent.agentNumber}
          pill={
            data.payment.kind === "paid"
              ? { label: t("statement.pillPayable"), color: tenant.colors.primaryContrast, background: tenant.colors.primary }
              : { label: t("statement.pillCarried"), color: "#ffffff", background: MUTED }
          }
        />

        <View style={[styles.panel, styles.section, { flexDirection: "row", gap: 12 }]} wrap={false}>
          <Summary
            styles={styles}
            label={t("statement.earned")}
            value={fmt.money(totals.earnedMinor)}
            large
            color={tenant.colors.primary}
          />
          <Summary styles={styles} label={t("statement.payable")} value={fmt.money(totals.payableMinor)} large />
          <Summary
            styles={styles}
            label={t("statement.payment")}
            value={
              data.payment.kind === "paid"
                ? t("statement.batch", { reference: data.payment.batchReference })
                : t("statement.carriedForward")
            }
          />
        </View>

        <View style={styles.columns} wrap={false}>
          <View style={styles.column}>
            <Section styles={styles} title={t("statement.agent")}>
              <Field styles={styles} label={t("statement.name")} value={agent.name} />
              <Field styles={styles} label={t("statement.agentNumber")} value={agent.agentNumber} />
              <Field styles={styles} label={t("statement.month")} value={data.monthLabel} />
            </Section>
          </View>
          <View style={styles.column}>
            <Section styles={styles} title={t("statement.paidTo")}>
              {hasBank ? (
                <>
                  <Field styles={styles} label={t("statement.bank")} value={agent.bankName} />
                  <Field styles={styles} label={t("statement.account")} value={ensureMasked(agent.bankAccountMasked!)} />
                  <Field styles={styles} label={t("statement.accountHolder")} value={agent.bankAccountHolder} />
                </>
              ) : (
                <Text style={[styles.small, styles.muted]}>{pdfText(t("statement.noBank"))}</Text>
              )}
            </Section>
          </View>
        </View>

        {data.entries.length === 0 ? (
          <Section styles={styles} title={t("statement.entries")}>
            <Text style={[styles.small, styles.muted]}>{pdfText(t("statement.noEntries"))}</Text>
          </Section>
        ) : null}

        {earnings.length > 0 ? (
          <EntryTable
            styles={styles}
            fmt={fmt}
            t={t}
            title={t("statement.earnings")}
            groups={earnings.map((g) => ({ title: g.title, entries: g.entries }))}
            listed={listed}
            describe={(e) => earningDetail(e, t, fmt)}
            totalLabel={t("statement.totalEarnings")}
          />
        ) : null}
        {bonuses.length > 0 ? (
          <EntryTable
            styles={styles}
            fmt={fmt}
            t={t}
            title={t("statement.bonuses")}
            groups={[{ title: null, entries: bonuses }]}
            listed
            describe={(e) => ({
              text: t(e.kind === "team_bonus" ? "statement.teamBonus" : "statement.performanceBonus", { name: e.bonusName ?? "" }),
              detail: e.bonusLevels ? t("statement.bonusLevels", { count: e.bonusLevels }) : t("statement.bonusOwnSales"),
            })}
            totalLabel={t("statement.totalBonuses")}
          />
        ) : null}
        {clawbacks.length > 0 ? (
          <EntryTable
            styles={styles}
            fmt={fmt}
            t={t}
            title={clawbacksTitle(clawbacks, t)}
            groups={[{ title: null, entries: clawbacks }]}
            listed
            describe={(e) => ({
              text: t(e.chargedBack ? "statement.chargedBack" : "statement.refund", { product: e.bonusName ?? productLine(e, t) }),
              detail: [
                e.sellerAgentNumber && e.tier !== 1 ? t("statement.saleByLower", { number: e.sellerAgentNumber }) : null,
                e.reversesAmountMinor !== null ? t("statement.earnedAmount", { amount: fmt.money(e.reversesAmountMinor) }) : null,
                e.note,
              ]
                .filter(Boolean)
                .join("; "),
            })}
            totalLabel={t("statement.totalClawbacks")}
          />
        ) : null}
        {caps.length > 0 ? (
          <EntryTable
            styles={styles}
            fmt={fmt}
            t={t}
            title={t("statement.caps")}
            groups={[{ title: null, entries: caps }]}
            listed
            describe={(e) => ({ text: t("statement.capReached", { product: productLine(e, t) }), detail: e.note ?? undefined })}
            rate={(e) => (e.capMinor !== null ? t("statement.capAmount", { amount: fmt.money(e.capMinor) }) : t("statement.cap"))}
            totalLabel={t("statement.totalCaps")}
          />
        ) : null}
        {adjustments.length > 0 ? (
          <EntryTable
            styles={styles}
            fmt={fmt}
            t={t}
            title={t("statement.adjustments")}
            groups={[{ title: null, entries: adjustments }]}
            listed
            describe={(e) => ({
              text: t("statement.adjustment", { product: productLine(e, t) }),
              detail: [
                e.reversesAmountMinor !== null ? t("statement.replaces", { amount: fmt.money(e.reversesAmountMinor) }) : null,
                e.note,
              ]
                .filter(Boolean)
                .join("; "),
            })}
            totalLabel={t("statement.totalAdjustments")}
          />
        ) : null}

        <View wrap={false} style={styles.section}>
          <Text style={styles.sectionTitle}>{pdfText(t("statement.totals"))}</Text>
          <View style={styles.table}>
            <TotalRow styles={styles} label={t("statement.earned")} amount={fmt.money(totals.earnedMinor)} />
            {totals.heldMinor !== 0 ? <TotalRow styles={styles} label={t("statement.held")} amount={fmt.money(-totals.heldMinor)} /> : null}
            {totals.broughtForwardMinor !== 0 ? (
              <TotalRow styles={styles} label={t("statement.broughtForward")} amount={fmt.money(totals.broughtForwardMinor)} />
            ) : null}
            <View style={styles.tableTotal}>
              <Text style={[styles.tableTotalText, styles.cellGrow]}>{pdfText(t("statement.payable"))}</Text>
              <Text style={[styles.tableTotalText, styles.cellAmount]}>{fmt.money(totals.payableMinor)}</Text>
            </View>
          </View>
          <Text style={[styles.lead, { marginTop: 8, marginBottom: 0 }]}>
            <Text style={styles.bold}>{pdfText(paymentLine(data.payment, t))}</Text>
            {data.payment.kind === "paid" && hasBank
              ? pdfText(
                  ` ${t("statement.byTransfer", { account: `${agent.bankName ? `${agent.bankName} ` : ""}${ensureMasked(agent.bankAccountMasked!)}` })}`,
                )
              : ""}
          </Text>
        </View>
      </DocumentPage>
    </Document>
  );
}

function earningDetail(e: StatementEntry, t: TFunction, fmt: DocumentFormat): { text: string; detail?: string } {
  const text = e.tier === 1 || !e.sellerAgentNumber ? t("statement.ownSale") : t("statement.saleBy", { number: e.sellerAgentNumber });
  const notes = [
    e.passedFromAgentNumber ? t("statement.passedUp", { number: e.passedFromAgentNumber }) : null,
    e.withheldMinor
      ? t("statement.withheld", { amount: fmt.money(e.withheldMinor), cap: e.capMinor !== null ? fmt.money(e.capMinor) : "-" })
      : null,
    e.status === "disputed" ? t("statement.underDispute") : null,
  ];
  if (e.status === "adjusted") notes.push(t("statement.replaced"));
  const detail = notes.filter(Boolean).join("; ");
  return { text, detail: detail || undefined };
}

function rateText(e: StatementEntry, fmt: DocumentFormat, t: TFunction): string {
  if (e.rateBp !== null) return formatRate(e.rateBp);
  if (e.fixedMinor !== null) return t("statement.fixed", { amount: fmt.money(e.fixedMinor) });
  return "-";
}

const local = {
  cellDate: { width: COL.date, paddingRight: 4 },
  cellBase: { width: COL.base, textAlign: "right" as const },
  cellRate: { width: COL.rate, textAlign: "right" as const },
  cellAmount: { width: COL.amount, textAlign: "right" as const },
  row: {
    flexDirection: "row" as const,
    paddingVertical: 3.5,
    paddingHorizontal: 6,
    borderTopWidth: 0.5,
    borderTopColor: HAIRLINE,
    fontSize: 8.5,
  },
  groupTitle: {
    flexDirection: "row" as const,
    paddingTop: 6,
    paddingBottom: 3,
    paddingHorizontal: 6,
    borderTopWidth: 0.75,
    borderTopColor: HAIRLINE,
  },
  subtotal: { flexDirection: "row" as const, paddingVertical: 3.5, paddingHorizontal: 6, borderTopWidth: 0.75, fontSize: 8.5 },
};

function EntryTable(props: {
  styles: DocumentStyles;
  fmt: DocumentFormat;
  t: TFunction;
  title: string;
  groups: { title: string | null; entries: StatementEntry[] }[];
  /** false: one summary line per group instead of every entry. */
  listed: boolean;
  describe: (e: StatementEntry) => { text: string; detail?: string };
  rate?: (e: StatementEntry) => string;
  totalLabel: string;
}) {
  const { styles, fmt, t } = props;
  const all = props.groups.flatMap((g) => g.entries);
  const head = (
    <View style={styles.tableHead}>
      <Text style={[styles.tableHeadCell, local.cellDate]}>{pdfText(t(props.listed ? "statement.colDate" : "statement.entries"))}</Text>
      <Text style={[styles.tableHeadCell, styles.cellGrow]}>{pdfText(t("statement.colDescription"))}</Text>
      <Text style={[styles.tableHeadCell, local.cellBase]}>{pdfText(t("statement.colBase"))}</Text>
      <Text style={[styles.tableHeadCell, local.cellRate]}>{pdfText(t("statement.colRate"))}</Text>
      <Text style={[styles.tableHeadCell, local.cellAmount]}>{pdfText(t("statement.colAmount"))}</Text>
    </View>
  );
  const rows: ReactNode[] = [];
  props.groups.forEach((group, gi) => {
    const groupRows: ReactNode[] = [];
    if (props.listed) {
      group.entries.forEach((e, i) => {
        const { text, detail } = props.describe(e);
        groupRows.push(
          <View key={`${gi}-${i}`} style={local.row} wrap={false}>
            <Text style={local.cellDate}>{fmt.date(e.earnedAt)}</Text>
            <View style={styles.cellGrow}>
              <Text>{pdfText(text)}</Text>
              {detail ? <Text style={[styles.small, styles.muted]}>{pdfText(detail)}</Text> : null}
            </View>
            <Text style={local.cellBase}>{e.baseMinor !== null ? fmt.money(e.baseMinor) : "-"}</Text>
            <Text style={local.cellRate}>{pdfText(props.rate ? props.rate(e) : rateText(e, fmt, t))}</Text>
            <Text style={[local.cellAmount, e.status === "adjusted" ? styles.muted : {}]}>
              {e.status === "adjusted" ? `(${fmt.money(e.amountMinor)})` : fmt.money(e.amountMinor)}
            </Text>
          </View>,
        );
      });
    } else {
      const base = group.entries.reduce((t, e) => t + (e.baseMinor ?? 0), 0);
      const rates = new Set(group.entries.map((e) => rateText(e, fmt, t)));
      groupRows.push(
        <View key={`${gi}-sum`} style={local.row} wrap={false}>
          <Text style={local.cellDate}>{String(group.entries.length)}</Text>
          <View style={styles.cellGrow}>
            <Text>{pdfText(t("statement.allEntries"))}</Text>
            <Text style={[styles.small, styles.muted]}>{pdfText(t("statement.everyEntry"))}</Text>
          </View>
          <Text style={local.cellBase}>{fmt.money(base)}</Text>
          <Text style={local.cellRate}>{pdfText(rates.size === 1 ? [...rates][0]! : t("statement.various"))}</Text>
          <Text style={local.cellAmount}>{fmt.money(sum(group.entries))}</Text>
        </View>,
      );
    }
    if (group.title) {
      const [firstRow, ...rest] = groupRows;
      // A group's title never ends a page alone: it travels with its first row.
      rows.push(
        <View key={`${gi}-title`} wrap={false}>
          <View style={local.groupTitle}>
            <Text style={[styles.bold, { fontSize: 8.5 }]}>{pdfText(group.title)}</Text>
          </View>
          {firstRow}
        </View>,
        ...rest,
      );
      if (props.groups.length > 1 || props.listed) {
        rows.push(
          <View key={`${gi}-subtotal`} style={[local.subtotal, { borderTopColor: MUTED }]} wrap={false}>
            <Text style={[styles.cellGrow, styles.muted]}>{pdfText(t("statement.subtotal", { count: group.entries.length }))}</Text>
            <Text style={[local.cellAmount, styles.bold]}>{fmt.money(sum(group.entries))}</Text>
          </View>,
        );
      }
    } else {
      rows.push(...groupRows);
    }
  });
  const [firstRow, ...restRows] = rows;
  const lastRow = restRows.pop();
  const total = (
    <View style={styles.tableTotal}>
      <Text style={[styles.tableTotalText, styles.cellGrow]}>{pdfText(props.totalLabel)}</Text>
      <Text style={[styles.tableTotalText, styles.cellAmount]}>{fmt.money(sum(all))}</Text>
    </View>
  );
  return (
    <View style={styles.section}>
      {/* The section's title and column heads travel with its first row, its total with its last. */}
      <View wrap={false}>
        <Text style={styles.sectionTitle}>{pdfText(props.title)}</Text>
        {head}
        {firstRow}
        {lastRow === undefined ? total : null}
      </View>
      {restRows}
      {lastRow === undefined ? null : (
        <View wrap={false}>
          {lastRow}
          {total}
        </View>
      )}
    </View>
  );
}

function TotalRow({ styles, label, amount }: { styles: DocumentStyles; label: string; amount: string }) {
  return (
    <View style={[styles.tableRow, { borderTopWidth: 0 }]}>
      <Text style={styles.cellGrow}>{pdfText(label)}</Text>
      <Text style={styles.cellAmount}>{amount}</Text>
    </View>
  );
}
