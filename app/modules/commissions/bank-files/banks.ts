/**
 * The Malaysian banks an IBG or DuitNow credit can reach, by the names agents type on their
 * profile (the bank is a free-text field). Each has its SWIFT/BIC code, which both bulk-file
 * formats name the beneficiary bank by, and the lengths its account numbers have.
 *
 * The lengths are what the banks' own account-number formats are widely documented to be; no bank
 * publishes them as a validation rule (docs/decisions/047-commission-bank-files.md). A bank with
 * two formats lists both. A number of another length is refused before a file is written, because
 * the bank would reject the line days later, after the rest of the batch was paid.
 */
export interface MalaysianBank {
  bic: string;
  name: string;
  aliases: readonly string[];
  accountLengths: readonly number[];
}

export const MALAYSIAN_BANKS: readonly MalaysianBank[] = [
  { bic: "MBBEMYKL", name: "Maybank", aliases: ["maybank", "malayanbanking", "maybankislamic"], accountLengths: [12] },
  { bic: "CIBBMYKL", name: "CIMB Bank", aliases: ["cimb", "cimbbank", "cimbislamic"], accountLengths: [10, 14] },
  { bic: "PBBEMYKL", name: "Public Bank", aliases: ["publicbank", "pbb", "publicislamic"], accountLengths: [10] },
  { bic: "RHBBMYKL", name: "RHB Bank", aliases: ["rhb", "rhbbank", "rhbislamic"], accountLengths: [14] },
  {
    bic: "HLBBMYKL",
    name: "Hong Leong Bank",
    aliases: ["hongleong", "hongleongbank", "hlb", "hongleongislamic"],
    accountLengths: [11, 12],
  },
  { bic: "ARBKMYKL", name: "AmBank", aliases: ["ambank", "ambankislamic", "ambankmalaysia"], accountLengths: [13] },
  { bic: "BIMBMYKL", name: "Bank Islam", aliases: ["bankislam", "bankislammalaysia"], accountLengths: [14] },
  { bic: "BKRMMYKL", name: "Bank Rakyat", aliases: ["bankrakyat", "bankkerjasamarakyat"], accountLengths: [12] },
  { bic: "BSNAMYK1", name: "BSN", aliases: ["bsn", "banksimpanannasional"], accountLengths: [16] },
  { bic: "PHBMMYKL", name: "Affin Bank", aliases: ["affin", "affinbank", "affinislamic"], accountLengths: [12] },
  { bic: "MFBBMYKL", name: "Alliance Bank", aliases: ["alliance", "alliancebank", "allianceislamic"], accountLengths: [15] },
  { bic: "OCBCMYKL", name: "OCBC Bank", aliases: ["ocbc", "ocbcbank", "ocbcalamin"], accountLengths: [10] },
  { bic: "UOVBMYKL", name: "UOB", aliases: ["uob", "uobmalaysia", "unitedoverseasbank"], accountLengths: [10] },
  { bic: "HBMBMYKL", name: "HSBC", aliases: ["hsbc", "hsbcbank", "hsbcamanah"], accountLengths: [12] },
  { bic: "SCBLMYKX", name: "Standard Chartered", aliases: ["standardchartered", "scb", "standardcharteredsaadiq"], accountLengths: [10] },
  { bic: "BMMBMYKL", name: "Bank Muamalat", aliases: ["muamalat", "bankmuamalat"], accountLengths: [14] },
  { bic: "AGOBMYKL", name: "Agrobank", aliases: ["agrobank", "bankpertanian"], accountLengths: [16] },
  { bic: "CITIMYKL", name: "Citibank", aliases: ["citi", "citibank"], accountLengths: [10] },
];

const key = (name: string) =>
  name
    .toLowerCase()
    .replace(/\b(berhad|bhd|malaysia)\b/g, "")
    .replace(/[^a-z]/g, "");

/** The bank an agent's typed bank name stands for ("Maybank", "MALAYAN BANKING BERHAD"…), or undefined. */
export function bankNamed(name: string | null | undefined): MalaysianBank | undefined {
  if (!name) return undefined;
  const k = key(name);
  return MALAYSIAN_BANKS.find((b) => b.aliases.includes(k) || b.aliases.includes(k.replace(/bank$/, "")));
}
