/** What a claim's upload takes (browser-safe: the forms say it, documents.server.ts enforces it). */
export const CLAIM_FILE_MAX_BYTES = 10 * 1024 * 1024;
export const CLAIM_FILES_PER_UPLOAD = 10;
export const CLAIM_FILES_MAX = 30;
export const CLAIM_FILE_ACCEPT = "application/pdf,image/jpeg,image/png,image/heic,image/heif,.pdf,.jpg,.jpeg,.png,.heic,.heif";
