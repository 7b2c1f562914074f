/**
 * The payment receipt: proof that the agency received the customer's money, issued once a
 * payment is confirmed. Rendered from plain data on the agency's letterhead. The lines and levies
 * must add up to the total to the minor unit, or nothing is rendered.
 */
import { Document, Text, View, renderToBuffer } from "@react-pdf/renderer";
import type { TFunction } from "i18next";
import type { Language, TransactionMethod } from "~db/schema";
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
  ensureMaskedPhone,
  loadLogo,
  pdfText,
  type AmountLine,
  type DocumentTenant,
  type LogoImage,
} from "./pdf-theme.server";

export interface ReceiptData {
  tenant: DocumentTenant;
  /** The payer's language (readerLanguage): the words are in it; English if absent. */
  language?: Language;
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
  /** How it was paid; printed as the customer knows it ("M-Pesa", "Card", "Kadi"). */
  method: TransactionMethod;
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
  const [logo, t] = await Promise.all([loadLogo(data.tenant.logoUrl), serverT(data.language ?? "en", "documents")]);
  return renderToBuffer(<ReceiptDocument data={data} logo={logo} t={t} />);
}

/** What the provider's reference is called on the receipt: an M-Pesa receipt, a card transaction, else a reference. */
function referenceLabel(method: TransactionMethod, t: TFunction): string {
  return t(method === "mpesa" || method === "card" ? `receipt.reference.${method}` : "receipt.reference.other");
}

/** Stand-ins for the bold parts of the lead sentence, found again wherever a language puts them. */
const NAME = "@@name@@";
const TOTAL = "@@total@@";

function ReceiptDocument({ data, logo, t }: { data: ReceiptData; logo: LogoImage | null; t: TFunction }) {
  const { tenant } = data;
  const styles = documentStyles(tenant.colors);
  const fmt = documentFormat(data);
  const total = fmt.money(data.totalMinor);
  const method = t(`method.${data.method}`);
  // The payer's name and the sum are bold wherever the language puts them in the sentence.
  const lead = t("receipt.received", { name: NAME, total: TOTAL, method })
    .split(new RegExp(`(${NAME}|${TOTAL})`))
    .filter(Boolean)
    .map((part, i) =>
      part === NAME ? (
        <Text key={i} style={styles.bold}>
          {pdfText(data.payer.name)}
        </Text>
      ) : part === TOTAL ? (
        <Text key={i} style={styles.bold}>
          {total}
        </Text>
      ) : (
        pdfText(part)
      ),
    );

  return (
    <Document
      {...documentMeta(
        tenant,
        t("receipt.metaTitle", { number: data.receiptNumber }),
        t("receipt.metaSubject", { name: data.payer.name }),
        data.paidAt,
        data.language,
      )}
    >
      <DocumentPage
        tenant={tenant}
        styles={styles}
        pageLabel={(page, total) => t("page", { page, total })}
        footerNote={<Text>{pdfText(t("receipt.footer", { number: data.receiptNumber }))}</Text>}
      >
        <Letterhead tenant={tenant} logo={logo} styles={styles} />

        <TitleBlock
          styles={styles}
          eyebrow={t("receipt.eyebrow")}
          title={t("receipt.title")}
          referenceLabel={t("receipt.number")}
          reference={data.receiptNumber}
          pill={{ label: t("receipt.paid"), color: tenant.colors.primaryContrast, background: tenant.colors.primary }}
        />

        <Text style={styles.lead}>{lead}</Text>

        <View style={[styles.panel, styles.section, { flexDirection: "row", gap: 12 }]} wrap={false}>
          <Summary styles={styles} label={t("receipt.amountPaid")} value={total} large color={tenant.colors.primary} />
          <Summary styles={styles} label={t("receipt.paidOn")} value={fmt.dateTime(data.paidAt)} />
          <Summary styles={styles} label={referenceLabel(data.method, t)} value={data.providerReference} />
        </View>

        <View style={styles.columns}>
          <View style={styles.column}>
            <Section styles={styles} title={t("receipt.receivedFrom")}>
              <Field styles={styles} label={t("receipt.name")} value={data.payer.name} />
              <Field
                styles={styles}
                label={t("receipt.phone")}
                value={data.payer.phoneMasked ? ensureMaskedPhone(data.payer.phoneMasked) : undefined}
              />
              <Field styles={styles} label={t("receipt.email")} value={data.payer.email} />
            </Section>
          </View>
          <View style={styles.column}>
            <Section styles={styles} title={t("receipt.payment")}>
              <Field styles={styles} label={t("receipt.method")} value={method} />
              <Field styles={styles} label={referenceLabel(data.method, t)} value={data.providerReference} />
              <Field styles={styles} label={t("receipt.orderReference")} value={data.orderReference} />
            </Section>
          </View>
        </View>

        <Section styles={styles} title={t("receipt.details")}>
          <AmountTable
            styles={styles}
            fmt={fmt}
            heading={[t("receipt.description"), t("certificate.amount", { currency: data.currency })]}
            lines={[...data.lines.map((l) => ({ label: l.description, amountMinor: l.amountMinor })), ...data.levies]}
            subtotal={data.levies.length ? { label: t("receipt.subtotal"), count: data.lines.length } : undefined}
            totalLabel={t("receipt.totalPaid")}
            totalMinor={data.totalMinor}
          />
        </Section>

        <Text style={[styles.small, styles.muted, { marginTop: 4 }]}>{pdfText(t("receipt.confirms", { agency: tenant.name }))}</Text>
      </DocumentPage>
    </Document>
  );
}
