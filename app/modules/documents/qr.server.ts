import QRCode from "qrcode";

/**
 * A QR code as a PNG data URL, for <Image> in a PDF. Error correction M (survives ~15% damage: a
 * fold, a smudge, a crumpled print-out), a 4-module quiet zone (what the spec asks for, so phone
 * cameras find it), black on white, and enough pixels to stay sharp when printed at ~3 cm.
 */
export async function qrPngDataUrl(text: string): Promise<string> {
  if (!text) throw new RangeError("qrPngDataUrl: nothing to encode");
  return QRCode.toDataURL(text, {
    errorCorrectionLevel: "M",
    margin: 4,
    width: 400,
    type: "image/png",
    color: { dark: "#000000ff", light: "#ffffffff" },
  });
}
