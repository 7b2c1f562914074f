import { ringgit, totalOf, type BankFile, type BankFileLine, type BankFileWriter } from "./file";

/**
 * Maybank2u Biz (M2U Biz) "Bulk Payment by File Upload", as a CSV.
 *
 * Maybank publishes the upload as a template that is filled in and saved as "CSV (comma
 * delimited)" (its Bulk Payment FAQ); the template itself is given to subscribers, not published.
 * What we assume, and what the agency checks once against its own template before the first real
 * upload (docs/decisions/047-commission-bank-files.md):
 *
 *   H,<debit account>,<payer name>,<value date DDMMYYYY>,<batch reference>,<count>,<total RM>
 *   D,<mode>,<beneficiary BIC>,<account or proxy>,<proxy type>,<name ≤40>,<amount RM>,<reference ≤20>,<description ≤40>
 *   T,<count>,<total RM>
 *
 * mode: IT (Maybank to Maybank), IBG (another bank), DN (DuitNow to a proxy; proxy type MBNO for
 * a mobile number, NRIC for a MyKad number, PayNet's names). Amounts in ringgit with two decimals;
 * lines end CRLF. No cell can hold a comma or a quote: `bankText` keeps only the banks' alphabet.
 */
function detail(line: BankFileLine, description: string): string[] {
  const { payTo } = line;
  const [mode, bic, credit, proxyType] =
    payTo.kind === "duitnow"
      ? ["DN", "", payTo.proxy, payTo.proxyType === "mobile" ? "MBNO" : "NRIC"]
      : [payTo.bic === MAYBANK ? "IT" : "IBG", payTo.bic, payTo.account, ""];
  return ["D", mode, bic, credit, proxyType, line.name, ringgit(line.amountMinor), line.reference, description];
}

const MAYBANK = "MBBEMYKL";

export const maybank2uBiz: BankFileWriter = {
  format: "maybank2u_biz",
  bic: MAYBANK,
  extension: "csv",
  contentType: "text/csv; charset=utf-8",
  maxNameLength: 40,
  maxReferenceLength: 20,
  write(file: BankFile): string {
    const [y, m, d] = file.valueDate.split("-");
    const total = ringgit(totalOf(file));
    const rows = [
      ["H", file.payerAccount, file.payerName, `${d}${m}${y}`, file.batchReference, String(file.lines.length), total],
      ...file.lines.map((l) => detail(l, file.description)),
      ["T", String(file.lines.length), total],
    ];
    return rows.map((r) => r.join(",")).join("\r\n") + "\r\n";
  },
};
