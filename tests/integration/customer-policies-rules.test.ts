/**
 * The two rules behind the customer pages, without a database: which instalment may be paid now,
 * and when a certificate counts as valid on the public check.
 */
import { describe, expect, it } from "vitest";
import type { InstalmentStatus, PolicyStatus } from "~db/schema";
import { payableInstalment } from "~/modules/policies/customer.server";
import { certificateValidity, isVerificationCode } from "~/modules/policies/verification.server";

const schedule = (...statuses: InstalmentStatus[]) => statuses.map((status, i) => ({ id: `i${i + 1}`, sequence: i + 1, status }));

describe("payableInstalment", () => {
  it("is the earliest due or overdue instalment, else the next scheduled one", () => {
    expect(payableInstalment("active", schedule("paid", "due", "scheduled"))?.id).toBe("i2");
    expect(payableInstalment("grace", schedule("paid", "overdue", "due"))?.id).toBe("i2");
    expect(payableInstalment("active", schedule("paid", "paid", "scheduled", "scheduled"))?.id).toBe("i3");
    // Order of the input does not matter.
    expect(payableInstalment("active", schedule("paid", "scheduled", "scheduled").reverse())?.id).toBe("i2");
  });

  it("is nothing when everything is paid or settled, or the policy is not in force", () => {
    expect(payableInstalment("active", schedule("paid"))).toBeNull();
    expect(payableInstalment("active", schedule("paid", "written_off", "cancelled"))).toBeNull();
    for (const status of ["lapsed", "cancelled", "declined", "pending_underwriting", "expired", "pending_payment"] as PolicyStatus[]) {
      expect(payableInstalment(status, schedule("paid", "due"))).toBeNull();
    }
  });
});

describe("certificateValidity", () => {
  const issued = { policyNumber: "TST-POL-1", startDate: "2026-01-15", endDate: "2027-01-14" };

  it("is valid only for an issued policy in force (active or grace) within its cover", () => {
    expect(certificateValidity({ ...issued, status: "active" }, "2026-06-01")).toEqual({ valid: true, reason: "in_force" });
    expect(certificateValidity({ ...issued, status: "grace" }, "2027-01-14")).toEqual({ valid: true, reason: "in_force" });
    expect(certificateValidity({ ...issued, status: "active" }, "2026-01-01")).toEqual({ valid: true, reason: "not_started" });
    expect(certificateValidity({ ...issued, status: "active" }, "2027-01-15")).toEqual({ valid: false, reason: "expired" });
    expect(certificateValidity({ status: "active", policyNumber: null, startDate: null, endDate: null }, "2026-06-01")).toEqual({
      valid: false,
      reason: "not_issued",
    });
  });

  it("names why any other policy is not valid", () => {
    const reason = (status: PolicyStatus) => certificateValidity({ ...issued, status }, "2026-06-01");
    expect(reason("lapsed")).toEqual({ valid: false, reason: "lapsed" });
    expect(reason("cancelled")).toEqual({ valid: false, reason: "cancelled" });
    expect(reason("expired")).toEqual({ valid: false, reason: "expired" });
    expect(reason("declined")).toEqual({ valid: false, reason: "declined" });
    expect(reason("pending_underwriting")).toEqual({ valid: false, reason: "awaiting_underwriting" });
    expect(reason("pending_payment")).toEqual({ valid: false, reason: "not_issued" });
    expect(reason("quoted")).toEqual({ valid: false, reason: "not_issued" });
  });

  it("accepts only URL-safe codes of a sensible length", () => {
    expect(isVerificationCode("K7M2QX9RTB4W")).toBe(true);
    expect(isVerificationCode("short")).toBe(false);
    expect(isVerificationCode("<script>alert(1)</script>")).toBe(false);
    expect(isVerificationCode("a".repeat(129))).toBe(false);
    expect(isVerificationCode(undefined)).toBe(false);
  });
});
