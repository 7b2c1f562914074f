import { z } from "zod";

/**
 * Text in an API _answer_ schema. Answers are what we send, described for the OpenAPI document
 * and checked by its test; they parse no input, so the input rule (lineText and friends, which
 * refuse control characters) does not apply. Use only in response schemas.
 */
// eslint-disable-next-line no-restricted-syntax -- an answer's text, never input (see above).
export const answerText = () => z.string();
