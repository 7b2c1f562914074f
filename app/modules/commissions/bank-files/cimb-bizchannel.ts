import { totalOf, type BankFile, type BankFileLine, type BankFileWriter } from "./file";

/**
 * CIMB BizChannel bulk payment ("Payroll / Bulk Payment" file upload), as fixed-width text.
 *
 * CIMB gives its upload specification to BizChannel subscribers only; what we write is the shape
 * such files share (a header, one record per credit, a trailer whose count and total must equal
 * the records'), with widths we chose. The agency checks it once against the specification in
 * its BizChannel before the first real upload (docs/decisions/047-commission-bank-files.md).
 *
 * Every record is 200 characters and ends CRLF; text left-aligned and space-padded, numbers
 * right-aligned and zero-padded, amounts in sen (no decimal point):
 *
 *   H  debit account 16 · payer name 40 · value date YYYYMMDD · batch reference 20 · count 6 · total 15
 *   D  mode 3 (ITF within CIMB, IBG, DNT DuitNow proxy) · BIC 11 · account or proxy 20 ·
 *      proxy type 4 (MBNO, NRIC, blank for an account) · name 40 · amount 15 · reference 20 · description 40
 *   T  count 6 · total 15
 */
const WIDTH = 200;
const CIMB = "CIBBMYKL";

const text = (value: string, width: number) => value.slice(0, width).padEnd(width, " ");
const number = (value: number, width: number) => {
  const digits = String(value);
  if (digits.length > width) throw new Error(`${value} does not fit ${width} digits`);
  return digits.padStart(width, "0");
};
const record = (fields: string) => fields.padEnd(WIDTH, " ");

function detail(line: BankFileLine, description: string): string {
  const { payTo } = line;
  const [mode, bic, credit, proxyType] =
    payTo.kind === "duitnow"
      ? ["DNT", "", payTo.proxy, payTo.proxyType === "mobile" ? "MBNO" : "NRIC"]
      : [payTo.bic === CIMB ? "ITF" : "IBG", payTo.bic, payTo.account, ""];
  return record(
    "D" +
      text(mode, 3) +
      text(bic, 11) +
      text(credit, 20) +
      text(proxyType, 4) +
      text(line.name, 40) +
      number(line.amountMinor, 15) +
      text(line.reference, 20) +
      text(description, 40),
  );
}

export const cimbBizChannel: BankFileWriter = {
  format: "cimb_bizchannel",
  bic: CIMB,
  extension: "txt",
  contentType: "text/plain; charset=utf-8",
  maxNameLength: 40,
  maxReferenceLength: 20,
  write(file: BankFile): string {
    const total = totalOf(file);
    const count = file.lines.length;
    const lines = [
      record(
        "H" +
          text(file.payerAccount, 16) +
          text(file.payerName, 40) +
          file.valueDate.replaceAll("-", "") +
          text(file.batchReference, 20) +
          number(count, 6) +
          number(total, 15),
      ),
      ...file.lines.map((l) => detail(l, file.description)),
      record("T" + number(count, 6) + number(total, 15)),
    ];
    return lines.join("\r\n") + "\r\n";
  },
};
