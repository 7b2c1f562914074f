/**
 * What the customer's documents hub groups documents by (browser-safe: the filter form uses it).
 * A new source of documents (sources.server.ts) files its documents under one of these.
 */
export const DOCUMENT_GROUPS = {
  certificate: { label: "Certificates", folder: "Certificates" },
  receipt: { label: "Receipts", folder: "Receipts" },
  letter: { label: "Letters", folder: "Letters" },
  upload: { label: "Your uploads", folder: "Uploads" },
} as const;

export type DocumentGroup = keyof typeof DOCUMENT_GROUPS;

export const DOCUMENT_GROUP_NAMES = Object.keys(DOCUMENT_GROUPS) as [DocumentGroup, ...DocumentGroup[]];
