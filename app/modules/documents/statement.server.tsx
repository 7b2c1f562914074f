// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
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
import type { ReactNode } from "react";
import { formatRate } from "~/modules/commissions/calculate";
import { FREQUENCY_LABELS, type Frequency } from "~/modules/rating/rules";
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

export type StatementEntryKind = "earning" | "clawback" | "cap" | "adjustment";

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
  /** Cap adjustments: the rule's monthly cap. */
  capMinor: number | null;
  /** Clawbacks and adjustments: the entry they correct (its amount). */
  reversesAmountMinor: number | null;
  /** Clawbacks: the sale was charged back (a lost chargeback), not refunded. */
  chargedBack?: boolean;
  note: string | null;
  amountMinor: number;
}

export interface StatementData {
  tenant: DocumentTenant;
  locale: string;
  timeZone: string;
  currency: string;
  /** "November 2026". */
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
  const logo = await loadLogo(data.tenant.logoUrl);
  return renderToBuffer(<StatementDocument data={data} logo={logo} />);
}

/** The words for why a balance was not paid this month. */
export function carriedReason(reason: "no_bank_details" | "not_positive"): string {
  return reason === "no_bank_details"
    ? "no bank details on file. Add them in the agent portal; the balance is paid at the first close after that."
    : "the balance is not positive (clawbacks exceed earnings). It is set against your next earnings.";
}

export function paymentLine(payment: StatementData["payment"]): string {
  return payment.kind === "paid" ? `Paid in batch ${payment.batchReference}` : `Carried forward: ${carriedReason(payment.reason)}`;
}

// ---------------------------------------------------------------------------------------------
// Grouping

const counted = (e: StatementEntry) => e.status !== "adjusted";
const sum = (entries: StatementEntry[]) => entries.filter(counted).reduce((total, e) => total + e.amountMinor, 0);

/** What the month's clawbacks reversed: "refunded", "charged-back", or both. */
function clawbackSources(entries: StatementEntry[]): string {
  const chargedBack = entries.filter((e) => e.chargedBack).length;
  if (chargedBack === 0) return "refunded";
  return chargedBack === entries.length ? "charged-back" : "refunded and charged-back";
}

function productLine(e: Pick<StatementEntry, "productName" | "frequency" | "tier">): string {
  return [e.productName ?? "Product", e.frequency ? FREQUENCY_LABELS[e.frequency] : null, e.tier ? `Tier ${e.tier}` : null]
    .filter(Boolean)
    .join(" · ");
}

interface EarningGroup {
  key: string;
  title: string;
  entries: StatementEntry[];
}

/** Earnings per product, frequency and tier: product name, then frequency, then tier. */
export function earningGroups(entries: StatementEntry[]): EarningGroup[] {
  const order: Frequency[] = ["monthly", "quarterly", "semi_annual", "annual"];
  const groups = new Map<string, EarningGroup>();
  for (const e of entries) {
    if (e.kind !== "earning") continue;
    const key = `${e.productName ?? ""}|${e.frequency ?? ""}|${e.tier ?? 0}`;
    let g = groups.get(key);
    if (!g) {
      const who = e.tier === 1 ? "your own sales" : "sales in your downline";
      g = { key, title: `${productLine(e)} (${who})`, entries: [] };
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

function StatementDocument({ data, logo }: { data: StatementData; logo: LogoImage | null }) {
  const { tenant, agent, totals } = data;
  const styles = documentStyles(tenant.colors);
  const fmt = documentFormat(data);
  const title = `Commission statement — ${data.monthLabel}`;
  const running = `${title}  |  Agent ${agent.agentNumber}  |  ${agent.name}`;
  const earnings = earningGroups(data.entries);
  const listed = data.entries.length <= MAX_LISTED_ENTRIES;
  const clawbacks = data.entries.filter((e) => e.kind === "clawback");
  const caps = data.entries.filter((e) => e.kind === "cap");
  const adjustments = data.entries.filter((e) => e.kind === "adjustment");
  const hasBank = Boolean(agent.bankAccountMasked);

  return (
    <Document {...documentMeta(tenant, title, `Commission statement for agent ${agent.agentNumber}`, data.issuedAt)}>
      <DocumentPage
        tenant={tenant}
        styles={styles}
        footerNote={
          <Text>
            {pdfText(
              `Questions about an entry? Dispute it from your commission history in the agent portal, or contact us quoting agent number ${agent.agentNumber}.`,
            )}
          </Text>
        }
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
          eyebrow={`Statement date ${fmt.date(data.issuedAt)}`}
          title={title}
          referenceLabel="Agent number"
          reference={agent.agentNumber}
          pill={
            data.payment.kind === "paid"
              ? { label: "PAYABLE", color: tenant.colors.primaryContrast, background: tenant.colors.primary }
              : { label: "CARRIED FORWARD", color: "#ffffff", background: MUTED }
          }
        />

        <View style={[styles.panel, styles.section, { flexDirection: "row", gap: 12 }]} wrap={false}>
          <Summary styles={styles} label="Earned this month" value={fmt.money(totals.earnedMinor)} large color={tenant.colors.primary} />
          <Summary styles={styles} label="Payable" value={fmt.money(totals.payableMinor)} large />
          <Summary
            styles={styles}
            label="Payment"
            value={data.payment.kind === "paid" ? `Batch ${data.payment.batchReference}` : "Carried forward"}
          />
        </View>

        <View style={styles.columns} wrap={false}>
          <View style={styles.column}>
            <Section styles={styles} title="Agent">
              <Field styles={styles} label="Name" value={agent.name} />
              <Field styles={styles} label="Agent number" value={agent.agentNumber} />
              <Field styles={styles} label="Month" value={data.monthLabel} />
            </Section>
          </View>
          <View style={styles.column}>
            <Section styles={styles} title="Paid to">
              {hasBank ? (
                <>
                  <Field styles={styles} label="Bank" value={agent.bankName} />
                  <Field styles={styles} label="Account" value={ensureMasked(agent.bankAccountMasked!)} />
                  <Field styles={styles} label="Account holder" value={agent.bankAccountHolder} />
                </>
              ) : (
                <Text style={[styles.small, styles.muted]}>No bank details on file.</Text>
              )}
            </Section>
          </View>
        </View>

        {data.entries.length === 0 ? (
          <Section styles={styles} title="Entries">
            <Text style={[styles.small, styles.muted]}>No commission entries this month.</Text>
          </Section>
        ) : null}

        {earnings.length > 0 ? (
          <EntryTable
            styles={styles}
            fmt={fmt}
            title="Earnings"
            groups={earnings.map((g) => ({ title: g.title, entries: g.entries }))}
            listed={listed}
            describe={(e) => earningDetail(e)}
            totalLabel="Total earnings"
          />
        ) : null}
        {clawbacks.length > 0 ? (
          <EntryTable
            styles={styles}
            fmt={fmt}
            title={`Clawbacks (${clawbackSources(clawbacks)} sales)`}
            groups={[{ title: null, entries: clawbacks }]}
            listed
            describe={(e) => ({
              text: `${e.chargedBack ? "Charged back" : "Refund"}: ${productLine(e)}`,
              detail: [
                e.sellerAgentNumber && e.tier !== 1 ? `sale by agent ${e.sellerAgentNumber}` : null,
                e.reversesAmountMinor !== null ? `earned ${fmt.money(e.reversesAmountMinor)}` : null,
                e.note,
              ]
                .filter(Boolean)
                .join("; "),
            })}
            totalLabel="Total clawbacks"
          />
        ) : null}
        {caps.length > 0 ? (
          <EntryTable
            styles={styles}
            fmt={fmt}
            title="Cap adjustments"
            groups={[{ title: null, entries: caps }]}
            listed
            describe={(e) => ({ text: `Monthly cap reached: ${productLine(e)}`, detail: e.note ?? undefined })}
            rate={(e) => (e.capMinor !== null ? `Cap ${fmt.money(e.capMinor)}` : "Cap")}
            totalLabel="Total cap adjustments"
          />
        ) : null}
        {adjustments.length > 0 ? (
          <EntryTable
            styles={styles}
            fmt={fmt}
            title="Adjustments (resolved disputes)"
            groups={[{ title: null, entries: adjustments }]}
            listed
            describe={(e) => ({
              text: `Adjustment: ${productLine(e)}`,
              detail: [e.reversesAmountMinor !== null ? `replaces an entry of ${fmt.money(e.reversesAmountMinor)}` : null, e.note]
                .filter(Boolean)
                .join("; "),
            })}
            totalLabel="Total adjustments"
          />
        ) : null}

        <View wrap={false} style={styles.section}>
          <Text style={styles.sectionTitle}>Totals</Text>
          <View style={styles.table}>
            <TotalRow styles={styles} label="Earned this month" amount={fmt.money(totals.earnedMinor)} />
            {totals.heldMinor !== 0 ? (
              <TotalRow styles={styles} label="Held in dispute (paid once resolved)" amount={fmt.money(-totals.heldMinor)} />
            ) : null}
            {totals.broughtForwardMinor !== 0 ? (
              <TotalRow styles={styles} label="Brought forward from earlier months" amount={fmt.money(totals.broughtForwardMinor)} />
            ) : null}
            <View style={styles.tableTotal}>
              <Text style={[styles.tableTotalText, styles.cellGrow]}>Payable</Text>
              <Text style={[styles.tableTotalText, styles.cellAmount]}>{fmt.money(totals.payableMinor)}</Text>
            </View>
          </View>
          <Text style={[styles.lead, { marginTop: 8, marginBottom: 0 }]}>
            <Text style={styles.bold}>{pdfText(paymentLine(data.payment))}</Text>
            {data.payment.kind === "paid" && hasBank
              ? pdfText(` by bank transfer to ${agent.bankName ? `${agent.bankName} ` : ""}${ensureMasked(agent.bankAccountMasked!)}.`)
              : ""}
          </Text>
        </View>
      </DocumentPage>
    </Document>
  );
}

function earningDetail(e: StatementEntry): { text: string; detail?: string } {
  const text = e.tier === 1 || !e.sellerAgentNumber ? "Own sale" : `Sale by agent ${e.sellerAgentNumber}`;
  const notes = [
    e.passedFromAgentNumber ? `passed up from agent ${e.passedFromAgentNumber}` : null,
    e.status === "disputed" ? "under dispute" : null,
  ];
  if (e.status === "adjusted") notes.push("replaced by an adjustment: not counted");
  const detail = notes.filter(Boolean).join("; ");
  return { text, detail: detail || undefined };
}

function rateText(e: StatementEntry, fmt: DocumentFormat): string {
  if (e.rateBp !== null) return formatRate(e.rateBp);
  if (e.fixedMinor !== null) return `Fixed ${fmt.money(e.fixedMinor)}`;
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
  title: string;
  groups: { title: string | null; entries: StatementEntry[] }[];
  /** false: one summary line per group instead of every entry. */
  listed: boolean;
  describe: (e: StatementEntry) => { text: string; detail?: string };
  rate?: (e: StatementEntry) => string;
  totalLabel: string;
}) {
  const { styles, fmt } = props;
  const all = props.groups.flatMap((g) => g.entries);
  const head = (
    <View style={styles.tableHead}>
      <Text style={[styles.tableHeadCell, local.cellDate]}>{props.listed ? "Date" : "Entries"}</Text>
      <Text style={[styles.tableHeadCell, styles.cellGrow]}>Description</Text>
      <Text style={[styles.tableHeadCell, local.cellBase]}>Base</Text>
      <Text style={[styles.tableHeadCell, local.cellRate]}>Rate / fixed</Text>
      <Text style={[styles.tableHeadCell, local.cellAmount]}>Amount</Text>
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
            <Text style={local.cellRate}>{props.rate ? props.rate(e) : rateText(e, fmt)}</Text>
            <Text style={[local.cellAmount, e.status === "adjusted" ? styles.muted : {}]}>
              {e.status === "adjusted" ? `(${fmt.money(e.amountMinor)})` : fmt.money(e.amountMinor)}
            </Text>
          </View>,
        );
      });
    } else {
      const base = group.entries.reduce((t, e) => t + (e.baseMinor ?? 0), 0);
      const rates = new Set(group.entries.map((e) => rateText(e, fmt)));
      groupRows.push(
        <View key={`${gi}-sum`} style={local.row} wrap={false}>
          <Text style={local.cellDate}>{String(group.entries.length)}</Text>
          <View style={styles.cellGrow}>
            <Text>{pdfText("All entries of this group")}</Text>
            <Text style={[styles.small, styles.muted]}>
              {pdfText("Every entry is listed in your commission history in the agent portal.")}
            </Text>
          </View>
          <Text style={local.cellBase}>{fmt.money(base)}</Text>
          <Text style={local.cellRate}>{rates.size === 1 ? [...rates][0] : "Various"}</Text>
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
            <Text style={[styles.cellGrow, styles.muted]}>
              {pdfText(`Subtotal, ${group.entries.length} ${group.entries.length === 1 ? "entry" : "entries"}`)}
            </Text>
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
