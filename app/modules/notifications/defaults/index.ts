import type { Language } from "~db/schema";
import { en } from "./en";
import { ms } from "./ms";
import { sw } from "./sw";
import type { LanguageDefaults } from "./types";

export const DEFAULT_TEMPLATES: Record<Language, LanguageDefaults> = { en, sw, ms };
export type { DefaultTemplate, LanguageDefaults } from "./types";
