import { describe, expect, it } from "vitest";
import { sniffContentType } from "./uploads.server";

describe("sniffContentType", () => {
  it("knows PDF, JPEG and PNG by their first bytes, whatever the name says", () => {
    expect(sniffContentType(Buffer.from("%PDF-1.7\n..."))).toBe("application/pdf");
    expect(sniffContentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe("image/jpeg");
    expect(sniffContentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe("image/png");
  });
  it("refuses everything else", () => {
    for (const bytes of [
      Buffer.from("<svg></svg>"),
      Buffer.from("GIF89a"),
      Buffer.from("PK\u0003\u0004"),
      Buffer.alloc(0),
      Buffer.from("%PD"),
    ])
      expect(sniffContentType(bytes)).toBeNull();
  });
});
