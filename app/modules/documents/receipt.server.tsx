// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
/**
 * The payment receipt: proof that the agency received the customer's money, issued once a
 * payment is confirmed. Rendered from plain data on the agency's letterhead. The lines and levies
 * must add up to the total to the minor unit, or nothing is rendered.
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
  ensureMaskedPhone,
  loadLogo,
  pdfText,
  type AmountLine,
  type DocumentTenant,
  type LogoImage,
} from "./pdf-theme.server";

export interface ReceiptData {
  tenant: DocumentTenant;
  locale: string;
  timeZone: string;
  currency: string;
  /** e.g. BWM-RCT-2026-000045 */
  receiptNumber: string;
  paidAt: Date | string;
  payer: {
    name: string;
    email?: string;
    /** Already masked ("+254 7** *** 678"). */
    phoneMasked?: string;
  };
  /** How it was paid, as the customer knows it: "M-Pesa", "Card", "Bank transfer". */
  method: string;
  /** The payment provider's reference, e.g. the M-Pesa receipt NLJ7RT61SV. */
  providerReference: string;
  /** The order (cart checkout) this payment settled. */
  orderReference: string;
  /** One line per item paid for: product and policy number, amount (discounts negative). */
  lines: { description: string; amountMinor: number }[];
  levies: AmountLine[];
  /** lines + levies. */
  totalMinor: number;
}

export async function renderReceiptPdf(data: ReceiptData): Promise<Buffer> {
  if (data.lines.length === 0) throw new RangeError(`receipt ${data.receiptNumber}: no lines`);
  assertAddsUp(
    `receipt ${data.receiptNumber}`,
    [...data.lines.map((l) => l.amountMinor), ...data.levies.map((l) => l.amountMinor)],
    data.totalMinor,
  );
  const logo = await loadLogo(data.tenant.logoUrl);
  return renderToBuffer(<ReceiptDocument data={data} logo={logo} />);
}

/** What the provider's reference is called on the receipt. */
function referenceLabel(method: string): string {
  if (/m-?pesa/i.test(method)) return "M-Pesa receipt";
  if (/card/i.test(method)) return "Card transaction";
  return "Payment reference";
}

function ReceiptDocument({ data, logo }: { data: ReceiptData; logo: LogoImage | null }) {
  const { tenant } = data;
  const styles = documentStyles(tenant.colors);
  const fmt = documentFormat(data);
  const total = fmt.money(data.totalMinor);

  return (
    <Document {...documentMeta(tenant, `Receipt ${data.receiptNumber}`, `Payment receipt for ${data.payer.name}`, data.paidAt)}>
      <DocumentPage
        tenant={tenant}
        styles={styles}
        footerNote={<Text>{pdfText(`Questions about this payment? Contact us and quote receipt number ${data.receiptNumber}.`)}</Text>}
      >
        <Letterhead tenant={tenant} logo={logo} styles={styles} />

        <TitleBlock
          styles={styles}
          eyebrow="Official receipt"
          title="Payment Receipt"
          referenceLabel="Receipt number"
          reference={data.receiptNumber}
          pill={{ label: "PAID", color: tenant.colors.primaryContrast, background: tenant.colors.primary }}
        />

        <Text style={styles.lead}>
          {"Received with thanks from "}
          <Text style={styles.bold}>{pdfText(data.payer.name)}</Text>
          {" the sum of "}
          <Text style={styles.bold}>{total}</Text>
          {pdfText(` by ${data.method}, for the items listed below.`)}
        </Text>

        <View style={[styles.panel, styles.section, { flexDirection: "row", gap: 12 }]} wrap={false}>
          <Summary styles={styles} label="Amount paid" value={total} large color={tenant.colors.primary} />
          <Summary styles={styles} label="Paid on" value={fmt.dateTime(data.paidAt)} />
          <Summary styles={styles} label={referenceLabel(data.method)} value={data.providerReference} />
        </View>

        <View style={styles.columns}>
          <View style={styles.column}>
            <Section styles={styles} title="Received from">
              <Field styles={styles} label="Name" value={data.payer.name} />
              <Field styles={styles} label="Phone" value={data.payer.phoneMasked ? ensureMaskedPhone(data.payer.phoneMasked) : undefined} />
              <Field styles={styles} label="Email" value={data.payer.email} />
            </Section>
          </View>
          <View style={styles.column}>
            <Section styles={styles} title="Payment">
              <Field styles={styles} label="Method" value={data.method} />
              <Field styles={styles} label={referenceLabel(data.method)} value={data.providerReference} />
              <Field styles={styles} label="Order reference" value={data.orderReference} />
            </Section>
          </View>
        </View>

        <Section styles={styles} title="Details">
          <AmountTable
            styles={styles}
            fmt={fmt}
            heading={["Description", `Amount (${data.currency})`]}
            lines={[...data.lines.map((l) => ({ label: l.description, amountMinor: l.amountMinor })), ...data.levies]}
            subtotal={data.levies.length ? { label: "Subtotal", count: data.lines.length } : undefined}
            totalLabel="Total paid"
            totalMinor={data.totalMinor}
          />
        </Section>

        <Text style={[styles.small, styles.muted, { marginTop: 4 }]}>
          {pdfText(
            `This receipt confirms that ${tenant.name} has received the payment above. Policy certificates are issued separately ` +
              `and can be downloaded from your account. Please keep this receipt for your records.`,
          )}
        </Text>
      </DocumentPage>
    </Document>
  );
}
