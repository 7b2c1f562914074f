import { createContext, useContext } from "react";

/**
 * The CSP nonce of this response (docs/decisions/014-content-security-policy.md), given by
 * entry.server to the document's inline scripts and styles. In the browser it is undefined: the
 * scripts are already there, and browsers hide a nonce from the page anyway.
 */
export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
