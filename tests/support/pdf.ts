import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

/**
 * A PDF read back the way a viewer reads it (pdfjs-dist): its text line by line and as one string,
 * whitespace (no-break spaces too) collapsed, and its title.
 */
export async function readPdf(buffer: Buffer): Promise<{ pages: number; lines: string[]; text: string; title: string | undefined }> {
  const doc = await getDocument({
    data: new Uint8Array(buffer),
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    standardFontDataUrl: path.resolve("node_modules/pdfjs-dist/standard_fonts") + "/",
    verbosity: 0,
  }).promise;
  const normalise = (s: string) => s.replace(/\s+/g, " ").trim();
  try {
    const lines: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
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
    }
    const meta = (await doc.getMetadata()) as { info?: { Title?: string } };
    return { pages: doc.numPages, lines: lines.filter(Boolean), text: normalise(lines.join(" ")), title: meta.info?.Title };
  } finally {
    await doc.destroy();
  }
}
