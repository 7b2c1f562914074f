/**
 * How many SMS parts a text costs (issue 14). A text that fits the GSM-7 alphabet goes 160
 * characters to one part, 153 per part when split (the rest carries the joining header); one with
 * any other character (an emoji, a curly quote) goes as UCS-2: 70, then 67 per part. The
 * extension characters (€, [, ], {, }…) take two GSM-7 places.
 */
const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENSION = "\f^{}\\[~]|€";

const basic = new Set(GSM7_BASIC);
const extension = new Set(GSM7_EXTENSION);

export interface SmsLength {
  encoding: "gsm7" | "ucs2";
  /** Places used: GSM-7 septets, or UTF-16 code units for UCS-2. */
  length: number;
  segments: number;
  /** Places left in the last part before another part starts. */
  remaining: number;
}

export function smsLength(text: string): SmsLength {
  let septets = 0;
  let gsm = true;
  for (const char of text) {
    if (basic.has(char)) septets += 1;
    else if (extension.has(char)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return measure("gsm7", septets, 160, 153);
  return measure("ucs2", text.length, 70, 67);
}

function measure(encoding: SmsLength["encoding"], length: number, single: number, part: number): SmsLength {
  if (length <= single) return { encoding, length, segments: 1, remaining: single - length };
  const segments = Math.ceil(length / part);
  return { encoding, length, segments, remaining: segments * part - length };
}
