/**
 * The claim letters: the settlement letter (what was claimed, approved, deducted and paid, how and
 * when) and the rejection letter (the reasons in words, the assessor's note, and until when the
 * claimant may appeal). Rendered from plain data on the agency's letterhead; the settlement's
 * amounts must add up to what was paid to the minor unit, or nothing is rendered.
 */
import { Document, Text, View, renderToBuffer } from "@react-pdf/renderer";
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
  /** How it was paid, in words: "M-Pesa", "Bank transfer to •••• 4321", "Cheque". */
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
  const logo = await loadLogo(data.tenant.logoUrl);
  return renderToBuffer(<SettlementLetter data={data} logo={logo} adjustmentMinor={adjustment} />);
}

export async function renderRejectionLetterPdf(data: RejectionLetterData): Promise<Buffer> {
  if (data.reasons.length === 0 && !data.note) throw new RangeError(`rejection letter ${data.claimNumber}: no reason given`);
  const logo = await loadLogo(data.tenant.logoUrl);
  return renderToBuffer(<RejectionLetter data={data} logo={logo} />);
}

function ClaimDetails({ data, styles }: { data: ClaimLetterBase; styles: ReturnType<typeof documentStyles> }) {
  const fmt = documentFormat(data);
  return (
    <View style={styles.columns}>
      <View style={styles.column}>
        <Section styles={styles} title="Claimant">
          <Field styles={styles} label="Name" value={data.claimant.name} />
          <Field styles={styles} label="Email" value={data.claimant.email} />
        </Section>
      </View>
      <View style={styles.column}>
        <Section styles={styles} title="Claim">
          <Field styles={styles} label="Claim number" value={data.claimNumber} />
          <Field styles={styles} label="Policy" value={`${data.policy.number} (${data.policy.product})`} />
          <Field styles={styles} label="Claim type" value={data.claimType} />
          <Field styles={styles} label="Incident date" value={fmt.date(data.incidentDate)} />
          <Field styles={styles} label="Amount claimed" value={fmt.money(data.claimedMinor)} />
        </Section>
      </View>
    </View>
  );
}

function SettlementLetter({
  data,
  logo,
  adjustmentMinor,
}: {
  data: SettlementLetterData;
  logo: LogoImage | null;
  adjustmentMinor: number;
}) {
  const { tenant } = data;
  const styles = documentStyles(tenant.colors);
  const fmt = documentFormat(data);
  const paid = fmt.money(data.paidMinor);
  const lines = [
    { label: "Amount approved", amountMinor: data.approvedMinor },
    { label: "Less the policy's excess", amountMinor: -data.excessMinor },
    ...(adjustmentMinor !== 0 ? [{ label: "Adjusted to the benefit left on the policy", amountMinor: adjustmentMinor }] : []),
  ];
  return (
    <Document
      {...documentMeta(tenant, `Settlement letter ${data.settlementReference}`, `Settlement of claim ${data.claimNumber}`, data.paidAt)}
    >
      <DocumentPage
        tenant={tenant}
        styles={styles}
        footerNote={<Text>{pdfText(`Questions about this payment? Contact us and quote claim number ${data.claimNumber}.`)}</Text>}
      >
        <Letterhead tenant={tenant} logo={logo} styles={styles} />
        <TitleBlock
          styles={styles}
          eyebrow="Claim settlement"
          title="Settlement Letter"
          referenceLabel="Settlement reference"
          reference={data.settlementReference}
          pill={{ label: "PAID", color: tenant.colors.primaryContrast, background: tenant.colors.primary }}
        />
        <Text style={styles.lead}>
          {pdfText(`Dear ${data.claimant.name}, we are pleased to confirm that your claim ${data.claimNumber} has been settled. We paid `)}
          <Text style={styles.bold}>{paid}</Text>
          {pdfText(` by ${data.method} on ${fmt.date(data.paidAt)}.`)}
        </Text>
        <View style={[styles.panel, styles.section, { flexDirection: "row", gap: 12 }]} wrap={false}>
          <Summary styles={styles} label="Amount paid" value={paid} large color={tenant.colors.primary} />
          <Summary styles={styles} label="Paid on" value={fmt.date(data.paidAt)} />
          <Summary styles={styles} label="Payment reference" value={data.paymentReference} />
        </View>
        <ClaimDetails data={data} styles={styles} />
        <Section styles={styles} title="Settlement">
          <AmountTable
            styles={styles}
            fmt={fmt}
            heading={["Description", `Amount (${data.currency})`]}
            lines={lines}
            totalLabel="Amount paid"
            totalMinor={data.paidMinor}
          />
        </Section>
        <Section styles={styles} title="Payment">
          <Field styles={styles} label="Method" value={data.method} />
          <Field styles={styles} label="Reference" value={data.paymentReference} />
          <Field styles={styles} label="Date" value={fmt.date(data.paidAt)} />
        </Section>
        <Text style={[styles.small, styles.muted, { marginTop: 4 }]}>
          {pdfText(
            `This payment settles claim ${data.claimNumber} in full. If the amount has not reached you within three working days, ` +
              `contact ${tenant.name} and quote the settlement reference above.`,
          )}
        </Text>
      </DocumentPage>
    </Document>
  );
}

function RejectionLetter({ data, logo }: { data: RejectionLetterData; logo: LogoImage | null }) {
  const { tenant } = data;
  const styles = documentStyles(tenant.colors);
  const fmt = documentFormat(data);
  return (
    <Document {...documentMeta(tenant, `Decision on claim ${data.claimNumber}`, `Claim ${data.claimNumber} not paid`, data.decidedAt)}>
      <DocumentPage
        tenant={tenant}
        styles={styles}
        footerNote={<Text>{pdfText(`Questions about this decision? Contact us and quote claim number ${data.claimNumber}.`)}</Text>}
      >
        <Letterhead tenant={tenant} logo={logo} styles={styles} />
        <TitleBlock
          styles={styles}
          eyebrow="Claim decision"
          title="Decision Letter"
          referenceLabel="Claim number"
          reference={data.claimNumber}
          pill={{ label: "NOT PAID", color: "#ffffff", background: "#8a1c1c" }}
        />
        <Text style={styles.lead}>
          {pdfText(
            `Dear ${data.claimant.name}, on ${fmt.date(data.decidedAt)} we finished assessing your claim ${data.claimNumber}. ` +
              `We are sorry to tell you that we cannot pay it, for the reasons below.`,
          )}
        </Text>
        <ClaimDetails data={data} styles={styles} />
        <Section styles={styles} title="Why the claim is not paid" wrap>
          {data.reasons.map((reason, i) => (
            <Text key={i} style={[styles.lead, { marginBottom: 4 }]}>
              {pdfText(`${i + 1}. ${reason}`)}
            </Text>
          ))}
          {data.note ? <Text style={[styles.lead, { marginTop: 4 }]}>{pdfText(data.note)}</Text> : null}
        </Section>
        <Section styles={styles} title="If you disagree">
          <Text style={styles.lead}>
            {pdfText("You may appeal this decision until ")}
            <Text style={styles.bold}>{fmt.date(data.appealBy)}</Text>
            {pdfText(`. Tell us why, with any document that supports the claim, from the claim's page: ${data.appealLink}`)}
          </Text>
        </Section>
      </DocumentPage>
    </Document>
  );
}
