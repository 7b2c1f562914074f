import type { BankFileFormat } from "~db/schema";
import { cimbBizChannel } from "./cimb-bizchannel";
import type { BankFileWriter } from "./file";
import { maybank2uBiz } from "./maybank2u-biz";

export const BANK_FILE_WRITERS: Record<BankFileFormat, BankFileWriter> = {
  maybank2u_biz: maybank2uBiz,
  cimb_bizchannel: cimbBizChannel,
};
