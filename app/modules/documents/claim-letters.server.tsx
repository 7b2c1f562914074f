/**
 * The claim letters: the settlement letter (what was claimed, approved, deducted and paid, how and
 * when) and the rejection letter (the reasons in words, the assessor's note, and until when the
 * claimant may appeal). Rendered from plain data on the agency's letterhead; the settlement's
 * amounts must add up to what was paid to the minor unit, or nothing is rendered.
 */
import { Document, Text, View, renderToBuffer } from "@react-pdf/renderer";
import type { TFunction } from "i18next";
import type { Language } from "~db/schema";
import { serverT } from "~/modules/i18n/i18n.server";
import {
  AmountTable,
  DocumentPage,
  Field,
  Letterhead,
  Section,
  Summary,
  TitleBlock,
  assertAddsUp,
  documentFormat,
  documentMeta,
  documentStyles,
  loadLogo,
  pdfText,
  type DocumentTenant,
  type LogoImage,
} from "./pdf-theme.server";

interface ClaimLetterBase {
  tenant: DocumentTenant;
  /** The claimant's language (readerLanguage): the words are in it; English if absent. */
  language?: Language;
  locale: string;
  timeZone: string;
  currency: string;
  claimNumber: string;
  claimant: { name: string; email?: string };
  policy: { number: string; product: string };
  claimType: string;
  /** YYYY-MM-DD */
  incidentDate: string;
  claimedMinor: number;
}

export interface SettlementLetterData extends ClaimLetterBase {
  settlementReference: string;
  approvedMinor: number;
  excessMinor: number;
  paidMinor: number;
  paidAt: Date | string;
  /** How it was paid, in the claimant's words: "M-Pesa", "bank transfer to account •••• 4321". */
  method: string;
  /** The payment's own reference: the M-Pesa receipt, the bank's reference, the cheque number. */
  paymentReference: string;
}

export interface RejectionLetterData extends ClaimLetterBase {
  decidedAt: Date | string;
  /** Each reason in words. */
  reasons: string[];
  note: string | null;
  /** The last day to appeal (YYYY-MM-DD, in the agency's time zone). */
  appealBy: string;
  appealLink: string;
}

export async function renderSettlementLetterPdf(data: SettlementLetterData): Promise<Buffer> {
  const adjustment = data.paidMinor - (data.approvedMinor - data.excessMinor);
  assertAddsUp(`settlement letter ${data.settlementReference}`, [data.approvedMinor, -data.excessMinor, adjustment], data.paidMinor);
  const [logo, t] = await Promise.all([loadLogo(data.tenant.logoUrl), serverT(data.language ?? "en", "documents")]);
  return renderToBuffer(<SettlementLetter data={data} logo={logo} adjustmentMinor={adjustment} t={t} />);
}

export async function renderRejectionLetterPdf(data: RejectionLetterData): Promise<Buffer> {
  if (data.reasons.length === 0 && !data.note) throw new RangeError(`rejection letter ${data.claimNumber}: no reason given`);
  const [logo, t] = await Promise.all([loadLogo(data.tenant.logoUrl), serverT(data.language ?? "en", "documents")]);
  return renderToBuffer(<RejectionLetter data={data} logo={logo} t={t} />);
}

function ClaimDetails({ data, styles, t }: { data: ClaimLetterBase; styles: ReturnType<typeof documentStyles>; t: TFunction }) {
  const fmt = documentFormat(data);
  return (
    <View style={styles.columns}>
      <View style={styles.column}>
        <Section styles={styles} title={t("claimLetter.claimant")}>
          <Field styles={styles} label={t("certificate.name")} value={data.claimant.name} />
          <Field styles={styles} label={t("certificate.email")} value={data.claimant.email} />
        </Section>
      </View>
      <View style={styles.column}>
        <Section styles={styles} title={t("claimLetter.claim")}>
          <Field styles={styles} label={t("claimLetter.claimNumber")} value={data.claimNumber} />
          <Field styles={styles} label={t("certificate.policy")} value={`${data.policy.number} (${data.policy.product})`} />
          <Field styles={styles} label={t("claimLetter.claimType")} value={data.claimType} />
          <Field styles={styles} label={t("claimLetter.incidentDate")} value={fmt.date(data.incidentDate)} />
          <Field styles={styles} label={t("claimLetter.amountClaimed")} value={fmt.money(data.claimedMinor)} />
        </Section>
      </View>
    </View>
  );
}

function SettlementLetter({
  data,
  logo,
  adjustmentMinor,
  t,
}: {
  data: SettlementLetterData;
  logo: LogoImage | null;
  adjustmentMinor: number;
  t: TFunction;
}) {
  const { tenant } = data;
  const styles = documentStyles(tenant.colors);
  const fmt = documentFormat(data);
  const paid = fmt.money(data.paidMinor);
  const lines = [
    { label: t("claimLetter.approved"), amountMinor: data.approvedMinor },
    { label: t("claimLetter.lessExcess"), amountMinor: -data.excessMinor },
    ...(adjustmentMinor !== 0 ? [{ label: t("claimLetter.adjusted"), amountMinor: adjustmentMinor }] : []),
  ];
  return (
    <Document
      {...documentMeta(
        tenant,
        t("claimLetter.settlementMetaTitle", { reference: data.settlementReference }),
        t("claimLetter.settlementMetaSubject", { number: data.claimNumber }),
        data.paidAt,
        data.language,
      )}
    >
      <DocumentPage
        tenant={tenant}
        styles={styles}
        pageLabel={(page, total) => t("page", { page, total })}
        footerNote={<Text>{pdfText(t("claimLetter.settlementFooter", { number: data.claimNumber }))}</Text>}
      >
        <Letterhead tenant={tenant} logo={logo} styles={styles} />
        <TitleBlock
          styles={styles}
          eyebrow={t("claimLetter.settlementEyebrow")}
          title={t("claimLetter.settlementTitle")}
          referenceLabel={t("claimLetter.settlementReference")}
          reference={data.settlementReference}
          pill={{ label: t("receipt.paid"), color: tenant.colors.primaryContrast, background: tenant.colors.primary }}
        />
        <Text style={styles.lead}>
          {pdfText(`${t("claimLetter.settledLead", { name: data.claimant.name, number: data.claimNumber })} `)}
          <Text style={styles.bold}>{paid}</Text>
          {pdfText(` ${t("claimLetter.settledHow", { method: data.method, date: fmt.date(data.paidAt) })}`)}
        </Text>
        <View style={[styles.panel, styles.section, { flexDirection: "row", gap: 12 }]} wrap={false}>
          <Summary styles={styles} label={t("receipt.amountPaid")} value={paid} large color={tenant.colors.primary} />
          <Summary styles={styles} label={t("receipt.paidOn")} value={fmt.date(data.paidAt)} />
          <Summary styles={styles} label={t("receipt.reference.other")} value={data.paymentReference} />
        </View>
        <ClaimDetails data={data} styles={styles} t={t} />
        <Section styles={styles} title={t("claimLetter.settlement")}>
          <AmountTable
            styles={styles}
            fmt={fmt}
            heading={[t("receipt.description"), t("certificate.amount", { currency: data.currency })]}
            lines={lines}
            totalLabel={t("receipt.amountPaid")}
            totalMinor={data.paidMinor}
          />
        </Section>
        <Section styles={styles} title={t("receipt.payment")}>
          <Field styles={styles} label={t("receipt.method")} value={data.method} />
          <Field styles={styles} label={t("claimLetter.reference")} value={data.paymentReference} />
          <Field styles={styles} label={t("statement.colDate")} value={fmt.date(data.paidAt)} />
        </Section>
        <Text style={[styles.small, styles.muted, { marginTop: 4 }]}>
          {pdfText(t("claimLetter.settlesInFull", { number: data.claimNumber, agency: tenant.name }))}
        </Text>
      </DocumentPage>
    </Document>
  );
}

function RejectionLetter({ data, logo, t }: { data: RejectionLetterData; logo: LogoImage | null; t: TFunction }) {
  const { tenant } = data;
  const styles = documentStyles(tenant.colors);
  const fmt = documentFormat(data);
  return (
    <Document
      {...documentMeta(
        tenant,
        t("claimLetter.decisionMetaTitle", { number: data.claimNumber }),
        t("claimLetter.decisionMetaSubject", { number: data.claimNumber }),
        data.decidedAt,
        data.language,
      )}
    >
      <DocumentPage
        tenant={tenant}
        styles={styles}
        pageLabel={(page, total) => t("page", { page, total })}
        footerNote={<Text>{pdfText(t("claimLetter.decisionFooter", { number: data.claimNumber }))}</Text>}
      >
        <Letterhead tenant={tenant} logo={logo} styles={styles} />
        <TitleBlock
          styles={styles}
          eyebrow={t("claimLetter.decisionEyebrow")}
          title={t("claimLetter.decisionTitle")}
          referenceLabel={t("claimLetter.claimNumber")}
          reference={data.claimNumber}
          pill={{ label: t("claimLetter.notPaid"), color: "#ffffff", background: "#8a1c1c" }}
        />
        <Text style={styles.lead}>
          {pdfText(t("claimLetter.decisionLead", { name: data.claimant.name, date: fmt.date(data.decidedAt), number: data.claimNumber }))}
        </Text>
        <ClaimDetails data={data} styles={styles} t={t} />
        <Section styles={styles} title={t("claimLetter.why")} wrap>
          {data.reasons.map((reason, i) => (
            <Text key={i} style={[styles.lead, { marginBottom: 4 }]}>
              {pdfText(`${i + 1}. ${reason}`)}
            </Text>
          ))}
          {data.note ? <Text style={[styles.lead, { marginTop: 4 }]}>{pdfText(data.note)}</Text> : null}
        </Section>
        <Section styles={styles} title={t("claimLetter.disagree")}>
          <Text style={styles.lead}>
            {pdfText(`${t("claimLetter.appealUntil")} `)}
            <Text style={styles.bold}>{fmt.date(data.appealBy)}</Text>
            {pdfText(`. ${t("claimLetter.appealHow", { link: data.appealLink })}`)}
          </Text>
        </Section>
      </DocumentPage>
    </Document>
  );
}
