/**
 * The policy certificate: the document a customer keeps as proof of cover. Rendered from plain
 * data (the policies module gathers it), on the agency's letterhead, with a QR code that opens the
 * public verification page. Identifiers arrive masked and are checked again before printing.
 */
import { Document, Image, Link, Text, View, renderToBuffer } from "@react-pdf/renderer";
import type { TFunction } from "i18next";
import type { Language } from "~db/schema";
import { serverT } from "~/modules/i18n/i18n.server";
import type { Frequency } from "~/modules/rating";
import {
  AmountTable,
  DocumentPage,
  Field,
  Letterhead,
  Section,
  TitleBlock,
  assertAddsUp,
  documentFormat,
  documentMeta,
  documentStyles,
  ensureMasked,
  loadLogo,
  pdfText,
  urlLines,
  type AmountLine,
  type DocumentFormat,
  type DocumentStyles,
  type DocumentTenant,
  type LogoImage,
} from "./pdf-theme.server";
import { qrPngDataUrl } from "./qr.server";

/** A limit or benefit of cover: a money amount (minor units, document currency) or plain text. */
export type CoverLimit = { label: string; amountMinor: number } | { label: string; text: string };

export interface CertificateData {
  tenant: DocumentTenant;
  /** The holder's language (their account's, else the agency's default): the labels are in it; English if absent. */
  language?: Language;
  locale: string;
  timeZone: string;
  currency: string;
  /** e.g. BWM-POL-2026-000123 */
  policyNumber: string;
  /** The policy's state; anything but "active" prints a watermark saying so. */
  status: string;
  holder: {
    name: string;
    /** Already masked ("******-**-1234"); never the raw identifier. */
    idMasked?: string;
    email?: string;
  };
  product: { name: string; category: string; insurer: string };
  /** What is insured: vehicle registration, property address, destination… */
  particulars?: { label: string; value: string }[];
  cover: {
    /** An instant (shown in the tenant's zone) or a calendar date "YYYY-MM-DD". */
    startDate: Date | string;
    endDate: Date | string;
    sumInsuredMinor?: number;
    limits?: CoverLimit[];
    frequency: Frequency;
    /** Premium for one instalment at `frequency`, before levies. */
    premiumMinor: number;
    levies: AmountLine[];
    /** premiumMinor + levies: what one instalment costs. */
    totalMinor: number;
  };
  beneficiaries?: { name: string; relationship: string; sharePercent: number }[];
  /**
   * A version after the first (a change mid-term, issue 13): printed as "Version N, effective DATE",
   * and the premium shown is the annual premium in force from that date (decision 031).
   */
  version?: { number: number; effectiveDate: string; annualPremiumMinor: number };
  issuedAt: Date | string;
  /** Public verification page for this certificate; the QR code encodes exactly this. */
  verifyUrl: string;
}

export async function renderCertificatePdf(data: CertificateData): Promise<Buffer> {
  validate(data);
  const [logo, qr, t] = await Promise.all([
    loadLogo(data.tenant.logoUrl),
    qrPngDataUrl(data.verifyUrl),
    serverT(data.language ?? "en", "documents"),
  ]);
  return renderToBuffer(<CertificateDocument data={data} logo={logo} qr={qr} t={t} />);
}

function validate(data: CertificateData): void {
  const { cover } = data;
  assertAddsUp(`certificate ${data.policyNumber}`, [cover.premiumMinor, ...cover.levies.map((l) => l.amountMinor)], cover.totalMinor);
  let url: URL;
  try {
    url = new URL(data.verifyUrl);
  } catch {
    throw new RangeError(`certificate ${data.policyNumber}: verifyUrl is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new RangeError(`certificate ${data.policyNumber}: verifyUrl must be http(s)`);
  if (new Date(cover.endDate).getTime() < new Date(cover.startDate).getTime()) {
    throw new RangeError(`certificate ${data.policyNumber}: cover ends before it starts`);
  }
  if (data.beneficiaries?.length) {
    const shares = data.beneficiaries.reduce((sum, b) => sum + b.sharePercent, 0);
    if (Math.abs(shares - 100) > 0.001)
      throw new RangeError(`certificate ${data.policyNumber}: beneficiary shares add up to ${shares}%, not 100%`);
  }
}

const STATUSES = new Set(["active", "grace", "pending", "suspended", "lapsed", "expired", "cancelled"]);

function statusLabel(status: string, t: TFunction): string {
  return STATUSES.has(status) ? t(`status.${status}`) : status.replace(/[_-]+/g, " ").replace(/^./, (c) => c.toUpperCase());
}

function CertificateDocument({ data, logo, qr, t }: { data: CertificateData; logo: LogoImage | null; qr: string; t: TFunction }) {
  const { tenant, cover } = data;
  const styles = documentStyles(tenant.colors);
  const fmt = documentFormat(data);
  const inForce = data.status === "active";
  const frequency = t(`frequency.${cover.frequency}`, { defaultValue: cover.frequency });
  const perInstalment = cover.frequency !== "annual";

  return (
    <Document
      {...documentMeta(
        tenant,
        t("certificate.metaTitle", { number: data.policyNumber }),
        `${data.product.name} - ${data.holder.name}`,
        data.issuedAt,
        data.language,
      )}
    >
      <DocumentPage
        tenant={tenant}
        styles={styles}
        pageLabel={(page, total) => t("page", { page, total })}
        footerNote={<FooterNote text={t("certificate.footer", { url: "\u0000" })} url={pdfText(data.verifyUrl)} bold={styles.bold} />}
      >
        <Letterhead tenant={tenant} logo={logo} styles={styles} />

        <TitleBlock
          styles={styles}
          eyebrow={t("certificate.eyebrow", { category: data.product.category })}
          title={t("certificate.title")}
          referenceLabel={t("certificate.policyNumber")}
          reference={data.policyNumber}
          pill={
            inForce
              ? {
                  label: statusLabel(data.status, t).toUpperCase(),
                  color: tenant.colors.primaryContrast,
                  background: tenant.colors.primary,
                }
              : { label: statusLabel(data.status, t).toUpperCase(), color: "#ffffff", background: NOT_IN_FORCE }
          }
        />

        <Text style={styles.lead}>{pdfText(t("certificate.certify", { agency: tenant.name, insurer: data.product.insurer }))}</Text>

        {data.version ? (
          <Text style={styles.lead}>
            {pdfText(t("certificate.version", { number: data.version.number, date: fmt.date(data.version.effectiveDate) }))}
          </Text>
        ) : null}

        <View style={styles.columns}>
          <View style={styles.column}>
            <Section styles={styles} title={t("certificate.policyholder")}>
              <Field styles={styles} label={t("certificate.name")} value={data.holder.name} />
              <Field
                styles={styles}
                label={t("certificate.idNumber")}
                value={data.holder.idMasked ? ensureMasked(data.holder.idMasked) : undefined}
              />
              <Field styles={styles} label={t("certificate.email")} value={data.holder.email} />
            </Section>
          </View>
          <View style={styles.column}>
            <Section styles={styles} title={t("certificate.policy")}>
              <Field styles={styles} label={t("certificate.product")} value={data.product.name} />
              <Field styles={styles} label={t("certificate.classOfCover")} value={data.product.category} />
              <Field styles={styles} label={t("certificate.insurer")} value={data.product.insurer} />
              <Field styles={styles} label={t("certificate.premiumPaid")} value={frequency} />
            </Section>
          </View>
        </View>

        <CoverPeriod data={data} styles={styles} fmt={fmt} t={t} />

        {pairs(details(data, styles, fmt, t)).map((pair, i) => (
          <View key={i} style={styles.columns}>
            <View style={styles.column}>{pair[0]}</View>
            <View style={styles.column}>{pair[1] ?? null}</View>
          </View>
        ))}

        <View style={styles.columns} wrap={false}>
          <View style={{ flex: 1.2 }}>
            <Section styles={styles} title={t("certificate.premium")}>
              {data.version ? (
                <AmountTable
                  styles={styles}
                  fmt={fmt}
                  heading={[t("certificate.item"), t("certificate.amount", { currency: data.currency })]}
                  lines={[
                    {
                      label: t("certificate.annualFrom", { date: fmt.date(data.version.effectiveDate) }),
                      amountMinor: data.version.annualPremiumMinor,
                    },
                  ]}
                  totalLabel={t("certificate.annualBeforeLevies")}
                  totalMinor={data.version.annualPremiumMinor}
                />
              ) : (
                <AmountTable
                  styles={styles}
                  fmt={fmt}
                  heading={[t("certificate.item"), t("certificate.amount", { currency: data.currency })]}
                  lines={[
                    { label: t("certificate.premiumPaidHow", { frequency: frequency.toLowerCase() }), amountMinor: cover.premiumMinor },
                    ...cover.levies,
                  ]}
                  totalLabel={perInstalment ? t("certificate.totalPerInstalment") : t("certificate.totalPremium")}
                  totalMinor={cover.totalMinor}
                />
              )}
            </Section>
          </View>
          <View style={styles.column}>
            <Section styles={styles} title={t("certificate.verification")}>
              <VerifyPanel data={data} qr={qr} styles={styles} fmt={fmt} t={t} />
            </Section>
          </View>
        </View>

        {/* Last, so it lies over the panels rather than under them. */}
        {inForce ? null : <Watermark label={statusLabel(data.status, t)} />}
      </DocumentPage>
    </Document>
  );
}

const NOT_IN_FORCE = "#a33a2b";

/** The footer sentence with the verification address in bold where the translation puts it. */
function FooterNote({ text, url, bold }: { text: string; url: string; bold: DocumentStyles["bold"] }) {
  const [before = "", after = ""] = text.split("\u0000");
  return (
    <Text>
      {before}
      <Text style={bold}>{url}</Text>
      {after}
    </Text>
  );
}

/** The optional blocks (what is insured, limits, beneficiaries), laid out two to a row. */
function details(data: CertificateData, styles: DocumentStyles, fmt: DocumentFormat, t: TFunction) {
  const blocks = [];
  if (data.particulars?.length) {
    blocks.push(
      <Section key="particulars" styles={styles} title={t("certificate.particulars")}>
        {data.particulars.map((p, i) => (
          <Field key={i} styles={styles} label={p.label} value={p.value} />
        ))}
      </Section>,
    );
  }
  if (data.cover.limits?.length) {
    blocks.push(
      <Section key="limits" styles={styles} title={t("certificate.limits")}>
        {data.cover.limits.map((limit, i) => (
          <Field key={i} styles={styles} label={limit.label} value={"amountMinor" in limit ? fmt.money(limit.amountMinor) : limit.text} />
        ))}
      </Section>,
    );
  }
  if (data.beneficiaries?.length)
    blocks.push(<Beneficiaries key="beneficiaries" beneficiaries={data.beneficiaries} styles={styles} t={t} />);
  return blocks;
}

function pairs<T>(items: T[]): [T, T | undefined][] {
  const out: [T, T | undefined][] = [];
  for (let i = 0; i < items.length; i += 2) out.push([items[i]!, items[i + 1]]);
  return out;
}

function CoverPeriod({ data, styles, fmt, t }: { data: CertificateData; styles: DocumentStyles; fmt: DocumentFormat; t: TFunction }) {
  const { cover } = data;
  const cell = (label: string, value: string, note?: string) => (
    <View style={{ flex: 1 }}>
      <Text style={styles.eyebrow}>{label}</Text>
      <Text style={{ fontFamily: "Helvetica-Bold", fontSize: 13, color: data.tenant.colors.primary }}>{value}</Text>
      {note ? <Text style={[styles.small, styles.muted]}>{note}</Text> : null}
    </View>
  );
  return (
    <View style={[styles.panel, styles.section, { flexDirection: "row", gap: 12 }]} wrap={false}>
      {cell(t("certificate.coverStarts"), fmt.date(cover.startDate), fmt.time(cover.startDate))}
      {cell(t("certificate.coverEnds"), fmt.date(cover.endDate), fmt.time(cover.endDate))}
      {cover.sumInsuredMinor !== undefined
        ? cell(t("certificate.sumInsured"), fmt.money(cover.sumInsuredMinor))
        : cell(t("certificate.issued"), fmt.date(data.issuedAt), fmt.time(data.issuedAt))}
    </View>
  );
}

function Beneficiaries({
  beneficiaries,
  styles,
  t,
}: {
  beneficiaries: NonNullable<CertificateData["beneficiaries"]>;
  styles: DocumentStyles;
  t: TFunction;
}) {
  return (
    <Section styles={styles} title={t("certificate.beneficiaries")}>
      <View style={styles.table} wrap={false}>
        <View style={styles.tableHead}>
          <Text style={[styles.tableHeadCell, styles.cellGrow]}>{t("certificate.name")}</Text>
          <Text style={[styles.tableHeadCell, { width: 80 }]}>{t("certificate.relationship")}</Text>
          <Text style={[styles.tableHeadCell, { width: 40, textAlign: "right" }]}>{t("certificate.share")}</Text>
        </View>
        {beneficiaries.map((b, i) => (
          <View key={i} style={styles.tableRow}>
            <Text style={styles.cellGrow}>{pdfText(b.name)}</Text>
            <Text style={{ width: 80 }}>{pdfText(b.relationship)}</Text>
            <Text style={{ width: 40, textAlign: "right" }}>{`${b.sharePercent}%`}</Text>
          </View>
        ))}
      </View>
    </Section>
  );
}

function VerifyPanel({
  data,
  qr,
  styles,
  fmt,
  t,
}: {
  data: CertificateData;
  qr: string;
  styles: DocumentStyles;
  fmt: DocumentFormat;
  t: TFunction;
}) {
  return (
    <View style={[styles.panel, { padding: 9 }]}>
      <View style={{ flexDirection: "row", alignItems: "center" }}>
        <Image src={qr} style={{ width: 82, height: 82, marginRight: 9 }} />
        <View style={{ flex: 1 }}>
          <Text style={[styles.bold, { marginBottom: 3 }]}>{t("certificate.scan")}</Text>
          <Text style={[styles.small, { marginBottom: 4 }]}>{t("certificate.scanHelp")}</Text>
          <Text style={[styles.small, styles.muted]}>{t("certificate.issuedAt", { date: fmt.dateTime(data.issuedAt) })}</Text>
        </View>
      </View>
      <Link src={data.verifyUrl} style={[styles.link, { marginTop: 5, fontSize: 7.5 }]}>
        {urlLines(pdfText(data.verifyUrl), 46).join("\n")}
      </Link>
    </View>
  );
}

/** Diagonal status across the page for a certificate that is not in force. */
function Watermark({ label }: { label: string }) {
  return (
    <View fixed style={{ position: "absolute", top: 330, left: 0, right: 0, alignItems: "center" }}>
      <Text
        style={{
          fontFamily: "Helvetica-Bold",
          fontSize: 64,
          color: NOT_IN_FORCE,
          opacity: 0.12,
          transform: "rotate(-30deg)",
          letterSpacing: 2,
        }}
      >
        {pdfText(label.toUpperCase())}
      </Text>
    </View>
  );
}
