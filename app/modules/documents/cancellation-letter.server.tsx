/**
 * The cancellation letter (issue 13, item 3; decision 030): the policy, the day cover ended, the
 * reason, and what comes back and why (the method, the premium paid, what was earned, claims paid
 * taken off), with how each part is returned. Rendered from plain data on the agency's letterhead;
 * the figures must add up to the refund to the minor unit, or nothing is rendered.
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

export interface CancellationLetterData {
  tenant: DocumentTenant;
  /** The holder's language (readerLanguage): the words are in it; English if absent. */
  language?: Language;
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
  const [logo, t] = await Promise.all([loadLogo(data.tenant.logoUrl), serverT(data.language ?? "en", "documents")]);
  return renderToBuffer(<CancellationLetter data={data} logo={logo} t={t} />);
}

function CancellationLetter({ data, logo, t }: { data: CancellationLetterData; logo: LogoImage | null; t: TFunction }) {
  const { tenant } = data;
  const styles = documentStyles(tenant.colors);
  const fmt = documentFormat(data);
  const refund = fmt.money(data.refundMinor);
  const lines = [
    { label: t("cancellation.premiumPaid"), amountMinor: data.paidMinor },
    ...(data.keptMinor > 0 ? [{ label: t("cancellation.lessKept"), amountMinor: -data.keptMinor }] : []),
    ...(data.claimsPaidMinor > 0 ? [{ label: t("cancellation.lessClaims"), amountMinor: -data.claimsPaidMinor }] : []),
  ];
  const floored = data.paidMinor - data.keptMinor - data.claimsPaidMinor < 0;
  return (
    <Document
      {...documentMeta(
        tenant,
        t("cancellation.metaTitle", { number: data.policyNumber }),
        t("cancellation.metaSubject", { number: data.policyNumber }),
        data.issuedAt,
        data.language,
      )}
    >
      <DocumentPage
        tenant={tenant}
        styles={styles}
        pageLabel={(page, total) => t("page", { page, total })}
        footerNote={<Text>{pdfText(t("cancellation.footer", { number: data.policyNumber }))}</Text>}
      >
        <Letterhead tenant={tenant} logo={logo} styles={styles} />
        <TitleBlock
          styles={styles}
          eyebrow={t("cancellation.eyebrow")}
          title={t("cancellation.title")}
          referenceLabel={t("certificate.policyNumber")}
          reference={data.policyNumber}
          pill={{ label: t("cancellation.pill"), color: "#ffffff", background: "#8a1c1c" }}
        />
        <Text style={styles.lead}>
          {pdfText(
            `${t(data.cancelledBy === "customer" ? "cancellation.dearAsked" : "cancellation.dearByUs", {
              name: data.holder.name,
              product: data.productName,
              number: data.policyNumber,
              date: fmt.date(data.cancelledOn),
            })} `,
          )}
          {data.refundMinor > 0 ? (
            <>
              {pdfText(`${t("cancellation.returning")} `)}
              <Text style={styles.bold}>{refund}</Text>
              {pdfText(".")}
            </>
          ) : (
            pdfText(t("cancellation.nothingDue"))
          )}
        </Text>
        <View style={[styles.panel, styles.section, { flexDirection: "row", gap: 12 }]} wrap={false}>
          <Summary styles={styles} label={t("cancellation.refund")} value={refund} large color={tenant.colors.primary} />
          <Summary styles={styles} label={t("cancellation.coverEnded")} value={fmt.date(data.cancelledOn)} />
          <Summary
            styles={styles}
            label={t("cancellation.coverWas")}
            value={`${fmt.date(data.cover.start)} - ${fmt.date(data.cover.end)}`}
          />
        </View>
        <Section styles={styles} title={t("certificate.policy")}>
          <Field styles={styles} label={t("certificate.policyholder")} value={data.holder.name} />
          <Field styles={styles} label={t("certificate.product")} value={data.productName} />
          <Field styles={styles} label={t("cancellation.reason")} value={data.reason} />
        </Section>
        <Section styles={styles} title={t("cancellation.whatComesBack")}>
          <Text style={[styles.lead, { marginBottom: 6 }]}>{pdfText(data.methodInWords)}</Text>
          <AmountTable
            styles={styles}
            fmt={fmt}
            heading={[t("receipt.description"), t("certificate.amount", { currency: data.currency })]}
            lines={lines}
            totalLabel={t("cancellation.refund")}
            totalMinor={data.refundMinor}
          />
          {floored ? <Text style={[styles.small, styles.muted]}>{pdfText(t("cancellation.floored"))}</Text> : null}
        </Section>
        {data.returns.length > 0 ? (
          <Section styles={styles} title={t("cancellation.howBack")}>
            {data.returns.map((r, i) => (
              <Field key={i} styles={styles} label={r.label} value={fmt.money(r.amountMinor)} />
            ))}
          </Section>
        ) : null}
        <Text style={[styles.small, styles.muted, { marginTop: 4 }]}>{pdfText(t("cancellation.closing"))}</Text>
      </DocumentPage>
    </Document>
  );
}
