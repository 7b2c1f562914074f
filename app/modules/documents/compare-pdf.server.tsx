import { Document, Page, renderToBuffer, StyleSheet, Text, View } from "@react-pdf/renderer";
import type { Language } from "~db/schema";
import type { CompareRow, CompareTable } from "~/modules/catalogue/compare";
import { serverT } from "~/modules/i18n/i18n.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { documentMeta, documentStyles, documentTenantOf, Footer, Letterhead, loadLogo, pdfText } from "./pdf-theme.server";

/**
 * The comparison as a PDF: the very table the /compare page shows (same rows, same "differs"),
 * on the agency's letterhead, landscape so three products fit side by side, in the visitor's
 * language (the table arrives already in it).
 */
export async function renderComparePdf(
  tenant: Pick<TenantInfo, "name" | "branding" | "contact">,
  table: CompareTable,
  options: { shareUrl: string; generatedOn: string; createdAt: Date; language: Language },
): Promise<Buffer> {
  const doc = documentTenantOf(tenant);
  const t = await serverT(options.language, "documents");
  const logo = await loadLogo(doc.logoUrl);
  const styles = documentStyles(doc.colors);
  const local = StyleSheet.create({
    intro: { marginBottom: 10, fontSize: 9 },
    head: { flexDirection: "row", backgroundColor: doc.colors.primary, paddingVertical: 6, paddingHorizontal: 6 },
    headLabel: { width: "25%" },
    headCell: { flex: 1, paddingHorizontal: 4, color: doc.colors.primaryContrast, fontFamily: "Helvetica-Bold", fontSize: 9.5 },
    headInsurer: { color: doc.colors.primaryContrast, fontSize: 7.5, marginTop: 2 },
    section: {
      marginTop: 8,
      paddingVertical: 4,
      paddingHorizontal: 6,
      fontFamily: "Helvetica-Bold",
      fontSize: 8,
      color: doc.colors.primary,
      letterSpacing: 1,
      textTransform: "uppercase",
      borderBottomWidth: 0.75,
      borderBottomColor: "#d9dfdc",
    },
    row: { flexDirection: "row", paddingVertical: 4, paddingHorizontal: 6, borderBottomWidth: 0.5, borderBottomColor: "#e6eae8" },
    rowDiffers: { backgroundColor: "#fff6dd" },
    label: { width: "25%", paddingRight: 6, color: "#3d4743", fontSize: 8.5 },
    cell: { flex: 1, paddingHorizontal: 4, fontSize: 8.5 },
    differs: { fontSize: 6.5, color: "#8a5a00", marginTop: 1 },
    legend: { marginTop: 10, fontSize: 7.5, color: "#5f6b66" },
  });
  const drawRow = (row: CompareRow) => (
    <View key={row.label} style={row.differs ? [local.row, local.rowDiffers] : local.row} wrap={false}>
      <View style={local.label}>
        <Text>{pdfText(row.label)}</Text>
        {row.differs ? <Text style={local.differs}>{pdfText(t("compare.differs"))}</Text> : null}
      </View>
      {row.cells.map((cell, i) => (
        <Text key={i} style={local.cell}>
          {/* The standard PDF fonts have no tick: "Yes", and a dash for "No". */}
          {pdfText(cell.symbol === "no" ? "-" : cell.text)}
        </Text>
      ))}
    </View>
  );
  const title = t("compare.metaTitle", { products: table.products.map((p) => p.name).join(", ") });
  const file = (
    <Document {...documentMeta(doc, title, t("compare.title"), options.createdAt, options.language)}>
      <Page size="A4" orientation="landscape" style={styles.page}>
        <Letterhead tenant={doc} logo={logo} styles={styles} />
        <Text style={styles.title}>{pdfText(t("compare.title"))}</Text>
        <Text style={local.intro}>{pdfText(t("compare.intro", { date: options.generatedOn }))}</Text>
        <View style={local.head} fixed>
          <View style={local.headLabel} />
          {table.products.map((p) => (
            <View key={p.slug} style={local.headCell}>
              <Text>{pdfText(p.name)}</Text>
              <Text style={local.headInsurer}>{pdfText(`${p.insurer} · ${p.category}`)}</Text>
            </View>
          ))}
        </View>
        {table.sections.map((section) => {
          const [first, ...rest] = section.rows.map(drawRow);
          return (
            <View key={section.title}>
              {/* A section title never ends a page alone: it travels with its first row. */}
              <View wrap={false}>
                <Text style={local.section}>{pdfText(section.title)}</Text>
                {first}
              </View>
              {rest}
            </View>
          );
        })}
        <Text style={local.legend}>{pdfText(t("compare.legend", { differs: t("compare.differs"), url: options.shareUrl }))}</Text>
        <Footer tenant={doc} styles={styles} pageLabel={(page, total) => t("page", { page, total })} />
      </Page>
    </Document>
  );
  return renderToBuffer(file);
}
