/**
 * Certificate and receipt PDFs, read back the way a customer's viewer reads them: the text through
 * pdfjs-dist, and the QR code by pulling the embedded image out of the page and decoding it with
 * jsQR. Pure rendering from plain data: no database, no app.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import jsQR from "jsqr";
import { getDocument, OPS } from "pdfjs-dist/legacy/build/pdf.mjs";
import { describe, expect, it } from "vitest";
import type { Language } from "~db/schema";
import { formatDate, formatDateTime } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { renderCertificatePdf, type CertificateData } from "~/modules/documents/certificate.server";
import {
  documentTenantOf,
  ensureMasked,
  ensureMaskedPhone,
  loadLogo,
  monogram,
  pdfText,
  readerLanguage,
  urlLines,
} from "~/modules/documents/pdf-theme.server";
import { qrPngDataUrl } from "~/modules/documents/qr.server";
import { renderReceiptPdf, type ReceiptData } from "~/modules/documents/receipt.server";
import { renderStatementPdf, type StatementData } from "~/modules/documents/statement.server";
import { monthLabel } from "~/modules/commissions/months";
import bowmanManifest from "../../tenants/bowman/manifest.json";
import khManifest from "../../tenants/khholdings/manifest.json";

const bowman = documentTenantOf(bowmanManifest);
const khholdings = documentTenantOf(khManifest);

const RAW_NRIC = "850412-10-1234";

const bowmanCertificate: CertificateData = {
  tenant: bowman,
  locale: "en-KE",
  timeZone: "Africa/Nairobi",
  currency: "KES",
  policyNumber: "BWM-POL-2026-000123",
  status: "active",
  holder: { name: "Wanjiku Achieng Otieno", idMasked: "****5678", email: "wanjiku.otieno@example.co.ke" },
  product: { name: "Comprehensive Private Motor", category: "Motor", insurer: "Savannah Crest Insurance" },
  particulars: [
    { label: "Vehicle", value: "Toyota Axio 2019" },
    { label: "Registration", value: "KDJ 482Q" },
  ],
  cover: {
    // 21:30 UTC on 31 March is 00:30 on 1 April in Nairobi: the certificate must say 1 April.
    startDate: "2026-03-31T21:30:00Z",
    endDate: "2027-03-31T20:59:00Z",
    sumInsuredMinor: 185_000_000,
    limits: [
      { label: "Third-party injury", text: "Unlimited" },
      { label: "Third-party property", amountMinor: 300_000_000 },
    ],
    frequency: "annual",
    premiumMinor: 6_660_000,
    levies: [
      { label: "Training levy (0.2%)", amountMinor: 13_320 },
      { label: "Policyholders' Compensation Fund levy (0.25%)", amountMinor: 16_650 },
      { label: "Stamp duty", amountMinor: 4_000 },
    ],
    totalMinor: 6_693_970,
  },
  issuedAt: "2026-03-28T09:15:00Z",
  verifyUrl: "https://bowman.covera.app/verify/BWM-POL-2026-000123?c=7f3a9c21",
};

const khCertificate: CertificateData = {
  tenant: khholdings,
  locale: "en-MY",
  timeZone: "Asia/Kuala_Lumpur",
  currency: "MYR",
  policyNumber: "KHH-POL-2026-000042",
  status: "active",
  holder: { name: "Tan Mei Ling", idMasked: "******-**-1234" },
  product: { name: "Family Term Life 20", category: "Life", insurer: "Permata Life Assurance Berhad" },
  cover: {
    // 16:00 UTC on 31 May is midnight on 1 June in Kuala Lumpur.
    startDate: "2026-05-31T16:00:00Z",
    endDate: "2046-05-31T15:59:00Z",
    sumInsuredMinor: 50_000_000,
    frequency: "monthly",
    premiumMinor: 15_000,
    levies: [{ label: "Service tax (8%)", amountMinor: 1_200 }],
    totalMinor: 16_200,
  },
  beneficiaries: [
    { name: "Lim Wei Jie", relationship: "Spouse", sharePercent: 60 },
    { name: "Lim Xin Yi", relationship: "Daughter", sharePercent: 40 },
  ],
  issuedAt: "2026-05-28T03:00:00Z",
  verifyUrl: "https://khholdings.covera.app/verify/KHH-POL-2026-000042?c=c0ffee12",
};

const bowmanReceipt: ReceiptData = {
  tenant: bowman,
  locale: "en-KE",
  timeZone: "Africa/Nairobi",
  currency: "KES",
  receiptNumber: "BWM-RCT-2026-000045",
  paidAt: "2026-03-28T09:12:41Z",
  payer: { name: "Wanjiku Achieng Otieno", email: "wanjiku.otieno@example.co.ke", phoneMasked: "+254 7** *** 678" },
  method: "mpesa",
  providerReference: "NLJ7RT61SV",
  orderReference: "BWM-ORD-2026-000311",
  lines: [
    { description: "Comprehensive Private Motor - BWM-POL-2026-000123", amountMinor: 6_660_000 },
    { description: "Family Inpatient Plus - BWM-POL-2026-000124", amountMinor: 4_250_000 },
    { description: "Multi-cover discount (5%)", amountMinor: -545_500 },
  ],
  levies: [
    { label: "Training levy (0.2%)", amountMinor: 20_729 },
    { label: "Policyholders' Compensation Fund levy (0.25%)", amountMinor: 25_911 },
    { label: "Stamp duty", amountMinor: 8_000 },
  ],
  totalMinor: 10_419_140,
};

// ---------------------------------------------------------------------------------------------
// Reading PDFs back

interface ParsedPdf {
  pages: number;
  size: [number, number];
  /** All text, whitespace (including no-break spaces) collapsed to single spaces. */
  text: string;
  /** Text line by line, as the viewer lays it out. */
  lines: string[];
  images: { width: number; height: number; rgba: Uint8ClampedArray }[];
  title: string | undefined;
}

async function parsePdf(buffer: Buffer): Promise<ParsedPdf> {
  const doc = await getDocument({
    data: new Uint8Array(buffer),
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    standardFontDataUrl: path.resolve("node_modules/pdfjs-dist/standard_fonts") + "/",
    verbosity: 0,
  }).promise;
  try {
    const lines: string[] = [];
    const images: ParsedPdf["images"] = [];
    let size: [number, number] = [0, 0];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      if (n === 1) size = [page.view[2]!, page.view[3]!];
      const content = await page.getTextContent();
      let line = "";
      for (const item of content.items) {
        if (!("str" in item)) continue;
        line += item.str;
        if (item.hasEOL) {
          lines.push(normalise(line));
          line = "";
        }
      }
      if (line) lines.push(normalise(line));

      const ops = await page.getOperatorList();
      for (let i = 0; i < ops.fnArray.length; i++) {
        if (ops.fnArray[i] !== OPS.paintImageXObject) continue;
        const id = ops.argsArray[i][0] as string;
        const store = id.startsWith("g_") ? page.commonObjs : page.objs;
        const image = (await new Promise((resolve) => store.get(id, resolve))) as PdfImage;
        images.push({ width: image.width, height: image.height, rgba: toRgba(image) });
      }
    }
    const meta = await doc.getMetadata();
    return {
      pages: doc.numPages,
      size,
      text: normalise(lines.join(" ")),
      lines: lines.filter(Boolean),
      images,
      title: (meta.info as { Title?: string }).Title,
    };
  } finally {
    await doc.destroy();
  }
}

const normalise = (s: string) => s.replace(/\s+/g, " ").trim();

/** pdfjs image kinds: 1 = 1-bit greyscale, 2 = RGB, 3 = RGBA. */
interface PdfImage {
  width: number;
  height: number;
  kind: 1 | 2 | 3;
  data: Uint8Array | Uint8ClampedArray;
}

function toRgba({ width, height, kind, data }: PdfImage): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 4);
  if (kind === 3) {
    out.set(data);
  } else if (kind === 2) {
    for (let p = 0, s = 0; p < width * height; p++, s += 3) out.set([data[s]!, data[s + 1]!, data[s + 2]!, 255], p * 4);
  } else {
    const rowBytes = (width + 7) >> 3;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const v = (data[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 255 : 0;
        out.set([v, v, v, 255], (y * width + x) * 4);
      }
    }
  }
  return out;
}

/** Every QR code on the page images, decoded. */
function decodeQrCodes(pdf: ParsedPdf): string[] {
  return pdf.images.flatMap((img) => {
    const code = jsQR(img.rgba, img.width, img.height);
    return code ? [code.data] : [];
  });
}

/** Amounts as the tenant writes them ("Ksh 1,234.50", "-RM 12.00") back to minor units. */
function parseAmounts(text: string, symbol: string): number[] {
  const re = new RegExp(`(-?)${symbol.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s?([\\d,]+)\\.(\\d{2})`, "g");
  return [...text.matchAll(re)].map((m) => (m[1] ? -1 : 1) * (Number(m[2]!.replace(/,/g, "")) * 100 + Number(m[3])));
}

const money = (minor: number, data: { currency: string; locale: string }) => normalise(formatMoney(minor, data.currency, data.locale));

// ---------------------------------------------------------------------------------------------

describe("policy certificate PDF", () => {
  it("Bowman (KES, Africa/Nairobi): states the policy, holder, cover dates and premium in the tenant's formats", async () => {
    const pdf = await parsePdf(await renderCertificatePdf(bowmanCertificate));
    const d = bowmanCertificate;

    expect(pdf.pages).toBe(1);
    expect(pdf.size.map(Math.round)).toEqual([595, 842]); // A4
    expect(pdf.title).toBe("Certificate of insurance BWM-POL-2026-000123");
    for (const expected of [
      "Bowman Insurance",
      "Certificate of Insurance",
      "POLICY NUMBER",
      "IN FORCE",
      d.policyNumber,
      d.holder.name,
      d.holder.email!,
      d.product.name,
      d.product.insurer,
      "Toyota Axio 2019",
      "Licensed insurance agency, IRA/AG/2026/0417",
    ]) {
      expect(pdf.text).toContain(expected);
    }
    // Cover dates in Nairobi time: 1 Apr 2026 (not the UTC 31 Mar) to 31 Mar 2027.
    expect(pdf.text).toContain(formatDate(d.cover.startDate, d.locale, d.timeZone));
    expect(pdf.text).toContain("1 Apr 2026");
    expect(pdf.text).not.toContain("31 Mar 2026");
    expect(pdf.text).toContain("31 Mar 2027");
    expect(pdf.text).toContain("00:30 EAT");
    expect(pdf.text).toContain(`Issued ${normalise(formatDateTime(d.issuedAt, d.locale, d.timeZone))} EAT`);
    // Money in the tenant's currency format.
    expect(pdf.text).toContain(money(d.cover.premiumMinor, d));
    expect(pdf.text).toContain(money(d.cover.totalMinor, d));
    expect(pdf.text).toContain("Ksh 66,600.00");
    expect(pdf.text).toContain("Ksh 66,939.70");
    expect(pdf.text).toContain("Ksh 1,850,000.00"); // sum insured
    for (const levy of d.cover.levies) expect(pdf.text).toContain(money(levy.amountMinor, d));
    // Footer: how to verify.
    expect(pdf.text).toContain(`Verify this certificate at ${d.verifyUrl} or scan the code`);
    expect(pdf.text).toContain("Page 1 of 1");
  });

  it("KHHoldings (MYR, Asia/Kuala_Lumpur): its own name, ringgit, Malaysian dates and the beneficiaries", async () => {
    const pdf = await parsePdf(await renderCertificatePdf(khCertificate));
    const d = khCertificate;

    expect(pdf.pages).toBe(1);
    for (const expected of [
      "KHHoldings",
      d.policyNumber,
      d.holder.name,
      d.product.name,
      d.product.insurer,
      "Lim Wei Jie",
      "Spouse",
      "60%",
      "Registered agency with Bank Negara Malaysia",
    ]) {
      expect(pdf.text).toContain(expected);
    }
    expect(pdf.text).not.toContain("Bowman");
    expect(pdf.text).toContain(formatDate(d.cover.startDate, d.locale, d.timeZone));
    expect(pdf.text).toContain("1 Jun 2026"); // midnight in Kuala Lumpur, 31 May in UTC
    expect(pdf.text).toContain("31 May 2046");
    expect(pdf.text).toContain("MYT");
    expect(pdf.text).toContain(money(d.cover.premiumMinor, d));
    expect(pdf.text).toContain("RM 150.00");
    expect(pdf.text).toContain("RM 162.00");
    expect(pdf.text).toContain("Total per instalment");
    expect(pdf.text).not.toContain("Ksh");
  });

  it("carries a QR code that decodes to exactly the verification URL", async () => {
    for (const data of [bowmanCertificate, khCertificate]) {
      const pdf = await parsePdf(await renderCertificatePdf(data));
      expect(pdf.images.length).toBeGreaterThanOrEqual(1);
      expect(decodeQrCodes(pdf)).toEqual([data.verifyUrl]);
    }
  });

  it("prints identifiers masked, never in the clear", async () => {
    const masked = await parsePdf(
      await renderCertificatePdf({ ...khCertificate, holder: { name: "Tan Mei Ling", idMasked: "******-**-1234" } }),
    );
    expect(masked.text).toContain("******-**-1234");
    expect(masked.text).not.toContain(RAW_NRIC);
    expect(masked.text).not.toContain("850412");

    // A caller that passes the raw number by mistake still gets it masked.
    const careless = await parsePdf(await renderCertificatePdf({ ...khCertificate, holder: { name: "Tan Mei Ling", idMasked: RAW_NRIC } }));
    expect(careless.text).toContain("******-**-1234");
    expect(careless.text).not.toContain(RAW_NRIC);
    expect(careless.text).not.toContain("850412");
  });

  it("marks a certificate that is not in force", async () => {
    const pdf = await parsePdf(await renderCertificatePdf({ ...bowmanCertificate, status: "cancelled" }));
    expect(pdf.text).toContain("CANCELLED");
    expect(pdf.text).not.toContain("IN FORCE");
  });

  it("is written in the holder's language: Swahili labels for a customer who chose sw, with sw-KE money and dates", async () => {
    const { language, locale } = readerLanguage({ languages: ["en", "sw"], defaultLanguage: "en", homeLocale: "en-KE" }, "sw");
    expect([language, locale]).toEqual(["sw", "sw-KE"]);
    const d = { ...bowmanCertificate, language, locale };
    const pdf = await parsePdf(await renderCertificatePdf(d));
    expect(pdf.title).toBe("Cheti cha bima BWM-POL-2026-000123");
    for (const expected of [
      "Cheti cha Bima",
      "NAMBARI YA SERA",
      "INATUMIKA",
      "MWENYE SERA",
      "Kampuni ya bima",
      "BIMA INAANZA",
      "BIMA INAISHA",
      "Changanua ili kuthibitisha",
      `Thibitisha cheti hiki kwenye ${d.verifyUrl} au changanua msimbo`,
      "Ukurasa 1 kati ya 1",
      d.holder.name,
      d.policyNumber,
    ]) {
      expect(pdf.text).toContain(expected);
    }
    expect(pdf.text).toContain(normalise(formatDate(d.cover.startDate, "sw-KE", d.timeZone)));
    expect(pdf.text).toContain(money(d.cover.totalMinor, d));
    for (const english of ["Certificate of Insurance", "POLICYHOLDER", "Scan to verify", "Page 1 of 1"])
      expect(pdf.text).not.toContain(english);
  });

  it("falls back to the agency's default language for a holder without one, or with one the agency does not offer", () => {
    const kenya = { languages: ["en", "sw"] as Language[], defaultLanguage: "sw" as const, homeLocale: "en-KE" };
    expect(readerLanguage(kenya, null)).toEqual({ language: "sw", locale: "sw-KE" });
    expect(readerLanguage(kenya, "ms")).toEqual({ language: "sw", locale: "sw-KE" });
    expect(readerLanguage(kenya, "en")).toEqual({ language: "en", locale: "en-KE" });
  });

  it("refuses data that does not add up or cannot be verified", async () => {
    await expect(
      renderCertificatePdf({ ...bowmanCertificate, cover: { ...bowmanCertificate.cover, totalMinor: 6_693_971 } }),
    ).rejects.toThrow(/add up/);
    await expect(renderCertificatePdf({ ...bowmanCertificate, verifyUrl: "javascript:alert(1)" })).rejects.toThrow(/http/);
    await expect(
      renderCertificatePdf({ ...khCertificate, beneficiaries: [{ name: "Lim Wei Jie", relationship: "Spouse", sharePercent: 60 }] }),
    ).rejects.toThrow(/100%/);
  });
});

describe("payment receipt PDF", () => {
  it("shows the payment, and its lines and levies add up to the total paid", async () => {
    const d = bowmanReceipt;
    const pdf = await parsePdf(await renderReceiptPdf(d));

    expect(pdf.pages).toBe(1);
    expect(pdf.size.map(Math.round)).toEqual([595, 842]);
    for (const expected of [
      "Bowman Insurance",
      "Payment Receipt",
      "RECEIPT NUMBER",
      "PAID",
      d.receiptNumber,
      d.payer.name,
      d.providerReference,
      d.orderReference,
      "M-Pesa",
      ...d.lines.map((l) => l.description),
    ]) {
      expect(pdf.text).toContain(expected);
    }
    expect(pdf.text).toContain(`${normalise(formatDateTime(d.paidAt, d.locale, d.timeZone))} EAT`);
    expect(pdf.text).toContain("28 Mar 2026, 12:12 EAT");

    // Each row of the table, as printed, and the sum of the printed rows is the printed total.
    const row = (label: string) => {
      const line = pdf.lines.find((l) => l.startsWith(label));
      expect(line, label).toBeDefined();
      const [amount] = parseAmounts(line!, "Ksh");
      expect(amount, label).toBeDefined();
      return amount!;
    };
    const lineAmounts = d.lines.map((l) => row(l.description));
    const levyAmounts = d.levies.map((l) => row(l.label));
    expect(lineAmounts).toEqual(d.lines.map((l) => l.amountMinor));
    expect(levyAmounts).toEqual(d.levies.map((l) => l.amountMinor));
    expect(row("Subtotal")).toBe(lineAmounts.reduce((a, b) => a + b, 0));
    const total = row("Total paid");
    expect(total).toBe(d.totalMinor);
    expect([...lineAmounts, ...levyAmounts].reduce((a, b) => a + b, 0)).toBe(total);
    expect(pdf.text).toContain("-Ksh 5,455.00"); // the discount, negative
    expect(pdf.text).toContain(`the sum of ${money(d.totalMinor, d)} by M-Pesa`);

    // No QR code on a receipt; no unmasked phone number.
    expect(decodeQrCodes(pdf)).toEqual([]);
    expect(pdf.text).toContain("+254 7** *** 678");
  });

  it("masks a phone number that arrives in the clear", async () => {
    const pdf = await parsePdf(await renderReceiptPdf({ ...bowmanReceipt, payer: { name: "Wanjiku", phoneMasked: "+254712345678" } }));
    expect(pdf.text).not.toContain("712345678");
    expect(pdf.text).toContain("+*********678");
  });

  it("renders a ringgit card receipt for KHHoldings", async () => {
    const pdf = await parsePdf(
      await renderReceiptPdf({
        ...bowmanReceipt,
        tenant: khholdings,
        locale: "en-MY",
        timeZone: "Asia/Kuala_Lumpur",
        currency: "MYR",
        receiptNumber: "KHH-RCT-2026-000007",
        method: "card",
        providerReference: "pi_3PzK2L",
        lines: [{ description: "Family Term Life 20 - KHH-POL-2026-000042", amountMinor: 15_000 }],
        levies: [{ label: "Service tax (8%)", amountMinor: 1_200 }],
        totalMinor: 16_200,
      }),
    );
    expect(pdf.text).toContain("KHHoldings");
    expect(pdf.text).toContain("Card transaction");
    expect(pdf.text).toContain("RM 162.00");
    expect(pdf.text).toContain("28 Mar 2026, 5:12 pm MYT");
  });

  it("refuses a receipt whose lines do not add up to its total", async () => {
    await expect(renderReceiptPdf({ ...bowmanReceipt, totalMinor: bowmanReceipt.totalMinor + 1 })).rejects.toThrow(/add up/);
    await expect(renderReceiptPdf({ ...bowmanReceipt, lines: [], levies: [], totalMinor: 0 })).rejects.toThrow(/no lines/);
  });
});

describe("document helpers", () => {
  it("masks identifiers, keeping separators and the last four", () => {
    expect(ensureMasked("850412-10-1234")).toBe("******-**-1234");
    expect(ensureMasked("******-**-1234")).toBe("******-**-1234");
    expect(ensureMasked("A012345678Z")).toBe("*******678Z");
    expect(ensureMaskedPhone("+254 7** *** 678")).toBe("+254 7** *** 678");
    expect(ensureMaskedPhone("+60 12-788 1200")).toBe("+** **-*** *200");
  });

  it("keeps text drawable by the standard fonts", () => {
    expect(pdfText("Zoë Mąka\u202f10:00")).toBe("Zoë Maka 10:00");
    expect(pdfText("陈美玲")).toBe("???");
  });

  it("wraps long URLs at their separators", () => {
    expect(urlLines("https://bowman.covera.app/verify/BWM-POL-2026-000123?c=7f3a9c21", 40)).toEqual([
      "https://bowman.covera.app/verify/",
      "BWM-POL-2026-000123?c=7f3a9c21",
    ]);
    expect(urlLines("https://a.b/" + "x".repeat(25), 10).join("")).toBe("https://a.b/" + "x".repeat(25));
  });

  it("uses a PNG or JPEG logo, and a monogram for SVG, remote or missing ones", async () => {
    const png = await qrPngDataUrl("logo");
    expect((await loadLogo(png))?.format).toBe("png");
    expect(await loadLogo("/tenants/bowman/logo.svg")).toBeNull();
    expect(await loadLogo("https://example.com/logo.png")).toBeNull();
    expect(await loadLogo("/../package.json")).toBeNull();
    expect(monogram("Bowman Insurance")).toBe("BI");
    expect(monogram("KHHoldings")).toBe("KH");

    const dir = await mkdtemp(path.join(tmpdir(), "covera-logo-"));
    try {
      await writeFile(path.join(dir, "logo.png"), Buffer.from(png.split(",")[1]!, "base64"));
      expect((await loadLogo("/logo.png", dir))?.format).toBe("png");
      expect(await loadLogo("/../logo.png", path.join(dir, "sub"))).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    // A PNG logo is drawn as an image next to the QR code; the QR code still decodes.
    const pdf = await parsePdf(await renderCertificatePdf({ ...bowmanCertificate, tenant: { ...bowman, logoUrl: png } }));
    expect(pdf.images.length).toBe(2);
    expect(decodeQrCodes(pdf)).toContain(bowmanCertificate.verifyUrl);
  });
});

describe("documents in the reader's language", () => {
  it("writes a receipt in Swahili for a payer who chose sw, and in Malay on KHHoldings", async () => {
    const swFile = await renderReceiptPdf({ ...bowmanReceipt, ...readerLanguage(kenya, "sw") });
    const sw = await parsePdf(swFile);
    expect(sw.title).toBe(`Risiti ${bowmanReceipt.receiptNumber}`);
    // The document says its language (screen readers read it in Swahili), not English.
    expect(swFile.toString("latin1")).toMatch(/\/Lang \(sw\)/);
    for (const expected of [
      "Risiti ya Malipo",
      "NAMBARI YA RISITI",
      "IMELIPWA",
      "Tumepokea kwa shukrani kutoka kwa",
      "Risiti ya M-Pesa",
      "Jumla iliyolipwa",
      "Ukurasa 1 kati ya 1",
    ])
      expect(sw.text).toContain(expected);
    expect(sw.text).toContain(`jumla ya ${money(bowmanReceipt.totalMinor, { currency: "KES", locale: "sw-KE" })} kwa M-Pesa`);
    for (const english of ["Payment Receipt", "Received with thanks", "Total paid", "Page 1 of 1"]) expect(sw.text).not.toContain(english);

    const ms = await parsePdf(
      await renderReceiptPdf({
        ...bowmanReceipt,
        tenant: khholdings,
        ...readerLanguage({ languages: ["en", "ms"], defaultLanguage: "en", homeLocale: "en-MY" }, "ms"),
        timeZone: "Asia/Kuala_Lumpur",
        currency: "MYR",
        method: "card",
        lines: [{ description: "Family Term Life 20 - KHH-POL-2026-000042", amountMinor: 15_000 }],
        levies: [{ label: "Service tax (8%)", amountMinor: 1_200 }],
        totalMinor: 16_200,
      }),
    );
    for (const expected of ["Resit Bayaran", "Diterima dengan terima kasih daripada", "Transaksi kad", "melalui Kad", "Jumlah dibayar"])
      expect(ms.text).toContain(expected);
    for (const english of ["Payment Receipt", "Card transaction", "Total paid"]) expect(ms.text).not.toContain(english);
  });

  it("writes an agent's commission statement in their language, the month named in it", async () => {
    const reader = readerLanguage(kenya, "sw");
    const statement: StatementData = {
      tenant: bowman,
      ...reader,
      timeZone: "Africa/Nairobi",
      currency: "KES",
      monthLabel: monthLabel("2026-11-01" as Parameters<typeof monthLabel>[0], reader.locale),
      issuedAt: "2026-12-01T06:00:00Z",
      agent: { name: "Juma Mwangi", agentNumber: "BWM-AG-0042", bankName: null, bankAccountMasked: null, bankAccountHolder: null },
      entries: [
        {
          kind: "earning",
          status: "approved",
          earnedAt: "2026-11-12T09:00:00Z",
          productName: "Comprehensive Private Motor",
          frequency: "monthly",
          tier: 1,
          sellerAgentNumber: "BWM-AG-0042",
          passedFromAgentNumber: null,
          baseMinor: 1_000_000,
          rateBp: 1_000,
          fixedMinor: null,
          capMinor: null,
          reversesAmountMinor: null,
          note: null,
          amountMinor: 100_000,
        },
      ],
      totals: { earnedMinor: 100_000, heldMinor: 0, broughtForwardMinor: 0, payableMinor: 100_000 },
      payment: { kind: "carried", reason: "no_bank_details" },
    };
    expect(statement.monthLabel).toBe("Novemba 2026");
    const sw = await parsePdf(await renderStatementPdf(statement));
    expect(sw.title).toBe("Taarifa ya kamisheni — Novemba 2026");
    for (const expected of [
      "Taarifa ya kamisheni — Novemba 2026",
      "Mapato ya mwezi huu",
      "Comprehensive Private Motor · Kila mwezi · Ngazi 1 (mauzo yako mwenyewe)",
      "Mauzo yako",
      "Imehamishiwa mbele: hakuna taarifa za benki",
    ])
      expect(sw.text).toContain(expected);
    for (const english of ["Commission statement", "Earned this month", "Own sale", "Carried forward", "November"])
      expect(sw.text).not.toContain(english);

    const msReader = readerLanguage({ languages: ["en", "ms"], defaultLanguage: "ms", homeLocale: "en-MY" }, null);
    const ms = await parsePdf(
      await renderStatementPdf({
        ...statement,
        tenant: khholdings,
        ...msReader,
        currency: "MYR",
        monthLabel: monthLabel("2026-11-01" as Parameters<typeof monthLabel>[0], msReader.locale),
      }),
    );
    for (const expected of ["Penyata komisen — November 2026", "Diperoleh bulan ini", "Jualan sendiri", "Dibawa ke hadapan"])
      expect(ms.text).toContain(expected);
    expect(ms.text).not.toContain("Commission statement");
  });
});

const kenya = { languages: ["en", "sw"] as Language[], defaultLanguage: "en" as const, homeLocale: "en-KE" };
