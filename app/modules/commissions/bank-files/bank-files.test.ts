import { describe, expect, it } from "vitest";
import { bankNamed } from "./banks";
import { cimbBizChannel } from "./cimb-bizchannel";
import { maybank2uBiz } from "./maybank2u-biz";
import { prepareBankFile, type PayoutLine } from "./prepare.server";

const line = (over: Partial<PayoutLine>): PayoutLine => ({
  agentNumber: "10001",
  agentName: "Siti Nurhaliza",
  holder: "Siti Nurhaliza bt. Ahmad",
  bankName: "Maybank",
  account: "5140 1234 5678",
  proxyType: null,
  proxy: null,
  amountMinor: 1667,
  ...over,
});

const LINES = [
  line({}),
  line({
    agentNumber: "10002",
    agentName: "Tan Wei Ming",
    holder: "Tan Wei Ming",
    bankName: "CIMB Bank Berhad",
    account: "8001234567",
    amountMinor: 250_000,
  }),
  line({
    agentNumber: "10003",
    agentName: "Aminah, Zainal",
    holder: null,
    bankName: null,
    account: null,
    proxyType: "mobile",
    proxy: "012-345 6789",
    amountMinor: 5,
  }),
  line({
    agentNumber: "10004",
    agentName: "Ravi",
    holder: "Ravi a/l Muthu",
    bankName: null,
    account: null,
    proxyType: "nric",
    proxy: "850412-10-1234",
    amountMinor: 100,
  }),
];

const prepared = (writer = maybank2uBiz, lines = LINES, payerAccount = "514012345678") =>
  prepareBankFile({
    writer,
    payerName: "KH Holdings Sdn. Bhd.",
    payerAccount,
    batchReference: "PAY-2026-11",
    valueDate: "2026-12-03",
    description: "Commission 2026-11",
    lines,
  });

describe("Malaysian bulk-payment files", () => {
  it("knows banks by the names agents type", () => {
    expect(bankNamed("MALAYAN BANKING BERHAD")?.bic).toBe("MBBEMYKL");
    expect(bankNamed("cimb")?.bic).toBe("CIBBMYKL");
    expect(bankNamed("Hong Leong Bank Berhad")?.bic).toBe("HLBBMYKL");
    expect(bankNamed("Bank of Nowhere")).toBeUndefined();
  });

  it("writes a Maybank2u Biz CSV whose header and trailer state the lines' count and total", () => {
    const result = prepared();
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(maybank2uBiz.write(result.file)).toBe(
      [
        "H,514012345678,KH HOLDINGS SDN. BHD.,03122026,PAY-2026-11,4,2517.72",
        "D,IT,MBBEMYKL,514012345678,,SITI NURHALIZA BT. AHMAD,16.67,PAY-2026-11-10001,COMMISSION 2026-11",
        "D,IBG,CIBBMYKL,8001234567,,TAN WEI MING,2500.00,PAY-2026-11-10002,COMMISSION 2026-11",
        "D,DN,,60123456789,MBNO,AMINAH ZAINAL,0.05,PAY-2026-11-10003,COMMISSION 2026-11",
        "D,DN,,850412101234,NRIC,RAVI A/L MUTHU,1.00,PAY-2026-11-10004,COMMISSION 2026-11",
        "T,4,2517.72",
        "",
      ].join("\r\n"),
    );
  });

  it("writes a CIMB BizChannel fixed-width file: 200-character records, zero-padded sen, a trailer that adds up", () => {
    const result = prepared(cimbBizChannel, LINES, "8001234567");
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const records = cimbBizChannel.write(result.file).split("\r\n");
    expect(records.pop()).toBe("");
    expect(records.map((r) => r.length)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(records[0]!.trimEnd()).toBe(
      "H8001234567      KH HOLDINGS SDN. BHD.                   20261203PAY-2026-11         000004000000000251772",
    );
    expect(records[1]!.trimEnd()).toBe(
      "DIBGMBBEMYKL   514012345678            SITI NURHALIZA BT. AHMAD                000000000001667PAY-2026-11-10001   COMMISSION 2026-11",
    );
    expect(records[2]!.slice(0, 4)).toBe("DITF");
    expect(records[3]!.slice(0, 39)).toBe("DDNT           60123456789         MBNO");
    expect(records[5]!.trimEnd()).toBe("T000004000000000251772");
    const sum = records.slice(1, 5).reduce((n, r) => n + Number(r.slice(79, 94)), 0);
    expect(sum).toBe(Number(records[5]!.slice(7, 22)));
  });

  it("refuses the whole file with every agent's problem instead of writing a line the bank would reject", () => {
    const result = prepared(maybank2uBiz, [
      ...LINES,
      line({ agentNumber: "10005", agentName: "Short Account", account: "12345" }),
      line({ agentNumber: "10006", agentName: "Odd Bank", bankName: "Bank of Nowhere" }),
      line({ agentNumber: "10007", agentName: "Bad Phone", proxyType: "mobile", proxy: "+254712345678" }),
      line({ agentNumber: "10008", agentName: "Bad MyKad", proxyType: "nric", proxy: "851332-10-1234" }),
      line({ agentNumber: "10009", agentName: "No Account", account: null }),
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.agentNumber, p.code, p.values])).toEqual([
      ["10005", "accountLength", { bank: "Maybank", lengths: "12", digits: 5 }],
      ["10006", "unknownBank", { bank: "Bank of Nowhere" }],
      ["10007", "proxyMobile", undefined],
      ["10008", "proxyNric", undefined],
      ["10009", "noAccount", undefined],
    ]);
  });

  it("refuses a file without the agency's format, name or a debit account of the bank's length", () => {
    const none = prepareBankFile({
      writer: undefined,
      payerName: null,
      payerAccount: null,
      batchReference: "PAY-2026-11",
      valueDate: "2026-12-03",
      description: "x",
      lines: LINES,
    });
    expect(none.ok ? [] : none.problems.map((p) => p.code)).toEqual(["noFormat"]);
    const wrongAccount = prepared(cimbBizChannel, LINES, "514012345678");
    expect(wrongAccount.ok ? [] : wrongAccount.problems.map((p) => [p.code, p.values])).toEqual([
      ["payerAccount", { bank: "CIMB Bank", lengths: "10 / 14" }],
    ]);
  });
});
