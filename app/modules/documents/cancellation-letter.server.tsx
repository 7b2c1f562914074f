/**
 * The cancellation letter (issue 13, item 3; decision 030): the policy, the day cover ended, the
 * reason, and what comes back and why (the method, the premium paid, what was earned, claims paid
 * taken off), with how each part is returned. Rendered from plain data on the agency's letterhead;
 * the figures must add up to the refund to the minor unit, or nothing is rendered.
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

export interface CancellationLetterData {
  tenant: DocumentTenant;
  locale: string;
  timeZone: string;
  currency: string;
  policyNumber: string;
  productName: string;
  holder: { name: string; email?: string };
  /** YYYY-MM-DD: the first day without cover. */
  cancelledOn: string;
  cover: { start: string; end: string };
  reason: string;
  cancelledBy: "customer" | "staff";
  /** The method in words, with why ("Within the 14-day free-look period: everything paid comes back"). */
  methodInWords: string;
  paidMinor: number;
  /** Kept for the cover given (0 within the free look). */
  keptMinor: number;
  claimsPaidMinor: number;
  refundMinor: number;
  /** How each part comes back: "Card payment of 1 Dec 2026: KES 1,200.00, to the card". */
  returns: { label: string; amountMinor: number }[];
  issuedAt: Date | string;
}

export async function renderCancellationLetterPdf(data: CancellationLetterData): Promise<Buffer> {
  // Paid, less what was kept and claims paid, is the refund — unless the refund is capped at nothing.
  const beforeFloor = data.paidMinor - data.keptMinor - data.claimsPaidMinor;
  if (data.refundMinor > 0)
    assertAddsUp(`cancellation letter ${data.policyNumber}`, [data.paidMinor, -data.keptMinor, -data.claimsPaidMinor], data.refundMinor);
  else if (beforeFloor > 0) throw new RangeError(`cancellation letter ${data.policyNumber}: ${beforeFloor} left unreturned`);
  assertAddsUp(
    `cancellation letter ${data.policyNumber} returns`,
    data.returns.map((r) => r.amountMinor),
    data.refundMinor,
  );
  const logo = await loadLogo(data.tenant.logoUrl);
  return renderToBuffer(<CancellationLetter data={data} logo={logo} />);
}

function CancellationLetter({ data, logo }: { data: CancellationLetterData; logo: LogoImage | null }) {
  const { tenant } = data;
  const styles = documentStyles(tenant.colors);
  const fmt = documentFormat(data);
  const refund = fmt.money(data.refundMinor);
  const lines = [
    { label: "Premium paid", amountMinor: data.paidMinor },
    ...(data.keptMinor > 0 ? [{ label: "Less the premium for the cover given", amountMinor: -data.keptMinor }] : []),
    ...(data.claimsPaidMinor > 0 ? [{ label: "Less claims paid on the policy", amountMinor: -data.claimsPaidMinor }] : []),
  ];
  const floored = data.paidMinor - data.keptMinor - data.claimsPaidMinor < 0;
  return (
    <Document
      {...documentMeta(tenant, `Cancellation of policy ${data.policyNumber}`, `Policy ${data.policyNumber} cancelled`, data.issuedAt)}
    >
      <DocumentPage
        tenant={tenant}
        styles={styles}
        footerNote={<Text>{pdfText(`Questions about this cancellation? Contact us and quote policy number ${data.policyNumber}.`)}</Text>}
      >
        <Letterhead tenant={tenant} logo={logo} styles={styles} />
        <TitleBlock
          styles={styles}
          eyebrow="Policy cancellation"
          title="Cancellation Letter"
          referenceLabel="Policy number"
          reference={data.policyNumber}
          pill={{ label: "CANCELLED", color: "#ffffff", background: "#8a1c1c" }}
        />
        <Text style={styles.lead}>
          {pdfText(
            `Dear ${data.holder.name}, this confirms that your ${data.productName} policy ${data.policyNumber} is cancelled ` +
              `${data.cancelledBy === "customer" ? "as you asked" : "by us"}. Your cover ended at the start of ${fmt.date(data.cancelledOn)}. `,
          )}
          {data.refundMinor > 0 ? (
            <>
              {pdfText("We are returning ")}
              <Text style={styles.bold}>{refund}</Text>
              {pdfText(".")}
            </>
          ) : (
            pdfText("No premium is due back to you.")
          )}
        </Text>
        <View style={[styles.panel, styles.section, { flexDirection: "row", gap: 12 }]} wrap={false}>
          <Summary styles={styles} label="Refund" value={refund} large color={tenant.colors.primary} />
          <Summary styles={styles} label="Cover ended" value={fmt.date(data.cancelledOn)} />
          <Summary styles={styles} label="Cover was" value={`${fmt.date(data.cover.start)} - ${fmt.date(data.cover.end)}`} />
        </View>
        <Section styles={styles} title="Policy">
          <Field styles={styles} label="Policyholder" value={data.holder.name} />
          <Field styles={styles} label="Product" value={data.productName} />
          <Field styles={styles} label="Reason" value={data.reason} />
        </Section>
        <Section styles={styles} title="What comes back, and why">
          <Text style={[styles.lead, { marginBottom: 6 }]}>{pdfText(data.methodInWords)}</Text>
          <AmountTable
            styles={styles}
            fmt={fmt}
            heading={["Description", `Amount (${data.currency})`]}
            lines={lines}
            totalLabel="Refund"
            totalMinor={data.refundMinor}
          />
          {floored ? (
            <Text style={[styles.small, styles.muted]}>{pdfText("Nothing is returned: the refund is never less than nothing.")}</Text>
          ) : null}
        </Section>
        {data.returns.length > 0 ? (
          <Section styles={styles} title="How it comes back">
            {data.returns.map((r, i) => (
              <Field key={i} styles={styles} label={r.label} value={fmt.money(r.amountMinor)} />
            ))}
          </Section>
        ) : null}
        <Text style={[styles.small, styles.muted, { marginTop: 4 }]}>
          {pdfText(
            `Refunds go back the way you paid; a card or M-Pesa refund usually reaches you within a few working days. ` +
              `Claims for anything that happened while the policy covered you are not affected.`,
          )}
        </Text>
      </DocumentPage>
    </Document>
  );
}
