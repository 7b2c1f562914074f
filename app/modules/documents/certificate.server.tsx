/**
 * The policy certificate: the document a customer keeps as proof of cover. Rendered from plain
 * data (the policies module gathers it), on the agency's letterhead, with a QR code that opens the
 * public verification page. Identifiers arrive masked and are checked again before printing.
 */
import { Document, Image, Link, Text, View, renderToBuffer } from "@react-pdf/renderer";
import { FREQUENCY_LABELS, type Frequency } from "~/modules/rating";
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
  const [logo, qr] = await Promise.all([loadLogo(data.tenant.logoUrl), qrPngDataUrl(data.verifyUrl)]);
  return renderToBuffer(<CertificateDocument data={data} logo={logo} qr={qr} />);
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

const STATUS_LABELS: Record<string, string> = {
  active: "In force",
  pending: "Pending",
  suspended: "Suspended",
  lapsed: "Lapsed",
  expired: "Expired",
  cancelled: "Cancelled",
};

function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status.replace(/[_-]+/g, " ").replace(/^./, (c) => c.toUpperCase());
}

function CertificateDocument({ data, logo, qr }: { data: CertificateData; logo: LogoImage | null; qr: string }) {
  const { tenant, cover } = data;
  const styles = documentStyles(tenant.colors);
  const fmt = documentFormat(data);
  const inForce = data.status === "active";
  const frequency = FREQUENCY_LABELS[cover.frequency] ?? cover.frequency;
  const perInstalment = cover.frequency !== "annual";

  return (
    <Document
      {...documentMeta(
        tenant,
        `Certificate of insurance ${data.policyNumber}`,
        `${data.product.name} - ${data.holder.name}`,
        data.issuedAt,
      )}
    >
      <DocumentPage
        tenant={tenant}
        styles={styles}
        footerNote={
          <Text>
            {"Verify this certificate at "}
            <Text style={styles.bold}>{pdfText(data.verifyUrl)}</Text>
            {" or scan the code. Issued electronically; valid without a signature."}
          </Text>
        }
      >
        <Letterhead tenant={tenant} logo={logo} styles={styles} />

        <TitleBlock
          styles={styles}
          eyebrow={`${data.product.category} insurance`}
          title="Certificate of Insurance"
          referenceLabel="Policy number"
          reference={data.policyNumber}
          pill={
            inForce
              ? { label: statusLabel(data.status).toUpperCase(), color: tenant.colors.primaryContrast, background: tenant.colors.primary }
              : { label: statusLabel(data.status).toUpperCase(), color: "#ffffff", background: NOT_IN_FORCE }
          }
        />

        <Text style={styles.lead}>
          {pdfText(
            `This is to certify that the insurance described below has been arranged by ${tenant.name} and is underwritten by ` +
              `${data.product.insurer}, subject to the terms, conditions and exclusions of the policy.`,
          )}
        </Text>

        {data.version ? (
          <Text style={styles.lead}>
            {pdfText(
              `Version ${data.version.number}, effective ${fmt.date(data.version.effectiveDate)}. This certificate replaces every earlier version.`,
            )}
          </Text>
        ) : null}

        <View style={styles.columns}>
          <View style={styles.column}>
            <Section styles={styles} title="Policyholder">
              <Field styles={styles} label="Name" value={data.holder.name} />
              <Field styles={styles} label="ID number" value={data.holder.idMasked ? ensureMasked(data.holder.idMasked) : undefined} />
              <Field styles={styles} label="Email" value={data.holder.email} />
            </Section>
          </View>
          <View style={styles.column}>
            <Section styles={styles} title="Policy">
              <Field styles={styles} label="Product" value={data.product.name} />
              <Field styles={styles} label="Class of cover" value={data.product.category} />
              <Field styles={styles} label="Insurer" value={data.product.insurer} />
              <Field styles={styles} label="Premium paid" value={frequency} />
            </Section>
          </View>
        </View>

        <CoverPeriod data={data} styles={styles} fmt={fmt} />

        {pairs(details(data, styles, fmt)).map((pair, i) => (
          <View key={i} style={styles.columns}>
            <View style={styles.column}>{pair[0]}</View>
            <View style={styles.column}>{pair[1] ?? null}</View>
          </View>
        ))}

        <View style={styles.columns} wrap={false}>
          <View style={{ flex: 1.2 }}>
            <Section styles={styles} title="Premium">
              {data.version ? (
                <AmountTable
                  styles={styles}
                  fmt={fmt}
                  heading={["Item", `Amount (${data.currency})`]}
                  lines={[
                    { label: `Annual premium from ${fmt.date(data.version.effectiveDate)}`, amountMinor: data.version.annualPremiumMinor },
                  ]}
                  totalLabel="Annual premium before levies"
                  totalMinor={data.version.annualPremiumMinor}
                />
              ) : (
                <AmountTable
                  styles={styles}
                  fmt={fmt}
                  heading={["Item", `Amount (${data.currency})`]}
                  lines={[{ label: `Premium (paid ${frequency.toLowerCase()})`, amountMinor: cover.premiumMinor }, ...cover.levies]}
                  totalLabel={perInstalment ? "Total per instalment" : "Total premium"}
                  totalMinor={cover.totalMinor}
                />
              )}
            </Section>
          </View>
          <View style={styles.column}>
            <Section styles={styles} title="Verification">
              <VerifyPanel data={data} qr={qr} styles={styles} fmt={fmt} />
            </Section>
          </View>
        </View>

        {/* Last, so it lies over the panels rather than under them. */}
        {inForce ? null : <Watermark label={statusLabel(data.status)} />}
      </DocumentPage>
    </Document>
  );
}

const NOT_IN_FORCE = "#a33a2b";

/** The optional blocks (what is insured, limits, beneficiaries), laid out two to a row. */
function details(data: CertificateData, styles: DocumentStyles, fmt: DocumentFormat) {
  const blocks = [];
  if (data.particulars?.length) {
    blocks.push(
      <Section key="particulars" styles={styles} title="Insured particulars">
        {data.particulars.map((p, i) => (
          <Field key={i} styles={styles} label={p.label} value={p.value} />
        ))}
      </Section>,
    );
  }
  if (data.cover.limits?.length) {
    blocks.push(
      <Section key="limits" styles={styles} title="Limits of cover">
        {data.cover.limits.map((limit, i) => (
          <Field key={i} styles={styles} label={limit.label} value={"amountMinor" in limit ? fmt.money(limit.amountMinor) : limit.text} />
        ))}
      </Section>,
    );
  }
  if (data.beneficiaries?.length) blocks.push(<Beneficiaries key="beneficiaries" beneficiaries={data.beneficiaries} styles={styles} />);
  return blocks;
}

function pairs<T>(items: T[]): [T, T | undefined][] {
  const out: [T, T | undefined][] = [];
  for (let i = 0; i < items.length; i += 2) out.push([items[i]!, items[i + 1]]);
  return out;
}

function CoverPeriod({ data, styles, fmt }: { data: CertificateData; styles: DocumentStyles; fmt: DocumentFormat }) {
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
      {cell("Cover starts", fmt.date(cover.startDate), fmt.time(cover.startDate))}
      {cell("Cover ends", fmt.date(cover.endDate), fmt.time(cover.endDate))}
      {cover.sumInsuredMinor !== undefined
        ? cell("Sum insured", fmt.money(cover.sumInsuredMinor))
        : cell("Issued", fmt.date(data.issuedAt), fmt.time(data.issuedAt))}
    </View>
  );
}

function Beneficiaries({
  beneficiaries,
  styles,
}: {
  beneficiaries: NonNullable<CertificateData["beneficiaries"]>;
  styles: DocumentStyles;
}) {
  return (
    <Section styles={styles} title="Beneficiaries">
      <View style={styles.table} wrap={false}>
        <View style={styles.tableHead}>
          <Text style={[styles.tableHeadCell, styles.cellGrow]}>Name</Text>
          <Text style={[styles.tableHeadCell, { width: 80 }]}>Relationship</Text>
          <Text style={[styles.tableHeadCell, { width: 40, textAlign: "right" }]}>Share</Text>
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

function VerifyPanel({ data, qr, styles, fmt }: { data: CertificateData; qr: string; styles: DocumentStyles; fmt: DocumentFormat }) {
  return (
    <View style={[styles.panel, { padding: 9 }]}>
      <View style={{ flexDirection: "row", alignItems: "center" }}>
        <Image src={qr} style={{ width: 82, height: 82, marginRight: 9 }} />
        <View style={{ flex: 1 }}>
          <Text style={[styles.bold, { marginBottom: 3 }]}>Scan to verify</Text>
          <Text style={[styles.small, { marginBottom: 4 }]}>
            Point a phone camera at the code to check that this policy is genuine and in force.
          </Text>
          <Text style={[styles.small, styles.muted]}>{`Issued ${fmt.dateTime(data.issuedAt)}`}</Text>
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
