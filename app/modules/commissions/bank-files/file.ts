import type { BankFileFormat } from "~db/schema";

/** Where one agent's money goes: an account by IBG (or an in-bank transfer), or a DuitNow proxy. */
export type PayTo = { kind: "account"; bic: string; account: string } | { kind: "duitnow"; proxyType: "mobile" | "nric"; proxy: string };

/** One credit of the file, checked and in the bank's alphabet already (see `bankText`). */
export interface BankFileLine {
  reference: string;
  name: string;
  amountMinor: number;
  payTo: PayTo;
}

/** A whole batch as the bank sees it: who pays, from which account, on which day, to whom. */
export interface BankFile {
  payerName: string;
  payerAccount: string;
  payerBic: string;
  batchReference: string;
  /** YYYY-MM-DD, the day the bank is asked to credit. */
  valueDate: string;
  description: string;
  lines: BankFileLine[];
}

export interface BankFileWriter {
  format: BankFileFormat;
  /** The bank whose business banking takes the file (it debits the payer's account there). */
  bic: string;
  extension: "csv" | "txt";
  contentType: string;
  maxNameLength: number;
  maxReferenceLength: number;
  write(file: BankFile): string;
}

/**
 * What the banks' upload screens accept in names and references: capitals, digits, space and a
 * few marks. Accents are dropped ("Siti Nurhaliza Bt. Ahmad" → "SITI NURHALIZA BT. AHMAD"), the
 * rest becomes a space, and the text is cut to the field's width.
 */
export function bankText(value: string, max: number): string {
  return value
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toUpperCase()
    .replace(/[^A-Z0-9 .\-/&()']/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, max)
    .trim();
}

/** 1667 → "16.67": the amounts the CSV formats carry. */
export const ringgit = (minor: number) => `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;

/** The sum of the lines, which header and trailer both state. */
export const totalOf = (file: BankFile) => file.lines.reduce((sum, l) => sum + l.amountMinor, 0);
