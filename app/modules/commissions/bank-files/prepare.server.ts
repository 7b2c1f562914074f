import type { DuitNowProxyType } from "~db/schema";
import { normaliseBankAccount, normaliseNric, nricProblem } from "~/modules/pii/identifiers";
import { bankNamed, MALAYSIAN_BANKS } from "./banks";
import { duitNowMobile } from "./schemas";
import { bankText, type BankFile, type BankFileLine, type BankFileWriter, type PayTo } from "./file";

/** One agent line of a batch, its account number (or DuitNow proxy) decrypted for the file only. */
export interface PayoutLine {
  agentNumber: string;
  agentName: string;
  holder: string | null;
  bankName: string | null;
  account: string | null;
  proxyType: DuitNowProxyType | null;
  proxy: string | null;
  amountMinor: number;
}

/** Why a file cannot be written: for one agent, or (no agent) for the agency's own settings. */
export interface BankFileProblem {
  agentNumber: string | null;
  agentName: string | null;
  code:
    | "noFormat"
    | "payerName"
    | "payerAccount"
    | "unknownBank"
    | "noAccount"
    | "accountLength"
    | "proxyMobile"
    | "proxyNric"
    | "noName"
    | "tooMany";
  values?: Record<string, string | number>;
}

export type Prepared = { ok: true; file: BankFile } | { ok: false; problems: BankFileProblem[] };

const lengthsText = (lengths: readonly number[]) => lengths.join(" / ");

function payToOf(line: PayoutLine): PayTo | Omit<BankFileProblem, "agentNumber" | "agentName"> {
  if (line.proxyType && line.proxy) {
    if (line.proxyType === "nric") {
      const nric = normaliseNric(line.proxy);
      return nricProblem(nric) ? { code: "proxyNric" } : { kind: "duitnow", proxyType: "nric", proxy: nric };
    }
    // A DuitNow mobile proxy is a Malaysian mobile number, written as PayNet keeps it: 60… without the plus.
    const mobile = duitNowMobile(line.proxy);
    return mobile ? { kind: "duitnow", proxyType: "mobile", proxy: mobile } : { code: "proxyMobile" };
  }
  const bank = bankNamed(line.bankName);
  if (!bank) return { code: "unknownBank", values: { bank: line.bankName ?? "" } };
  const account = line.account ? normaliseBankAccount(line.account) : "";
  if (!account) return { code: "noAccount" };
  if (!/^\d+$/.test(account) || !bank.accountLengths.includes(account.length))
    return { code: "accountLength", values: { bank: bank.name, lengths: lengthsText(bank.accountLengths), digits: account.length } };
  return { kind: "account", bic: bank.bic, account };
}

/**
 * A batch's lines, checked and put into the bank's alphabet, or every problem with them at once
 * (per agent) so staff can fix them all before trying again: a file the bank would reject half of
 * is never written.
 */
export function prepareBankFile(input: {
  writer: BankFileWriter | undefined;
  payerName: string | null;
  payerAccount: string | null;
  batchReference: string;
  valueDate: string;
  description: string;
  lines: PayoutLine[];
}): Prepared {
  const { writer } = input;
  if (!writer) return { ok: false, problems: [{ agentNumber: null, agentName: null, code: "noFormat" }] };
  const problems: BankFileProblem[] = [];
  const payerName = bankText(input.payerName ?? "", 40);
  if (!payerName) problems.push({ agentNumber: null, agentName: null, code: "payerName" });
  const payerBank = MALAYSIAN_BANKS.find((b) => b.bic === writer.bic)!;
  const payerAccount = normaliseBankAccount(input.payerAccount ?? "");
  if (!/^\d+$/.test(payerAccount) || !payerBank.accountLengths.includes(payerAccount.length))
    problems.push({
      agentNumber: null,
      agentName: null,
      code: "payerAccount",
      values: { bank: payerBank.name, lengths: lengthsText(payerBank.accountLengths) },
    });
  // Six digits of count in the fixed-width trailer.
  if (input.lines.length > 999_999) problems.push({ agentNumber: null, agentName: null, code: "tooMany" });

  const lines: BankFileLine[] = [];
  for (const line of input.lines) {
    const who = { agentNumber: line.agentNumber, agentName: line.agentName };
    const name = bankText(line.holder || line.agentName, writer.maxNameLength);
    if (!name) problems.push({ ...who, code: "noName" });
    const payTo = payToOf(line);
    if ("code" in payTo) {
      problems.push({ ...who, ...payTo });
      continue;
    }
    lines.push({
      reference: bankText(`${input.batchReference}-${line.agentNumber}`, writer.maxReferenceLength),
      name,
      amountMinor: line.amountMinor,
      payTo,
    });
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    file: {
      payerName,
      payerAccount,
      payerBic: writer.bic,
      batchReference: bankText(input.batchReference, 20),
      valueDate: input.valueDate,
      description: bankText(input.description, 40),
      lines,
    },
  };
}
