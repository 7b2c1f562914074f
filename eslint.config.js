// ESLint flat config. Non-type-checked typescript-eslint rules keep `npm run lint` fast;
// `npm run typecheck` (tsc) covers the type-level checks.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import jsxA11y from "eslint-plugin-jsx-a11y";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    ignores: [
      "build/",
      "public/build/",
      ".cache/",
      ".data/",
      "node_modules/",
      "tests/.artifacts/",
      "tests/bench/bare/build/",
      "tests/bench/bare/public/build/",
      ".bench-tmp/",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  react.configs.flat.recommended,
  react.configs.flat["jsx-runtime"],
  jsxA11y.flatConfigs.recommended,
  {
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      globals: { ...globals.node, ...globals.browser },
    },
    settings: { react: { version: "detect" } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      // Types cover props; Remix route modules and components are typed with TypeScript.
      "react/prop-types": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  {
    // Text from a request is parsed with ~/lib/text's primitives (NUL and control characters refused,
    // length capped), never a bare z.string(): docs/decisions/018-text-input-at-the-edge.md.
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/lib/text.ts", "app/lib/forms.ts", "app/lib/env.server.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.object.name='z'][callee.property.name='string']",
          message: "Use lineText, multilineText or secretText from ~/lib/text: they refuse NUL and control characters and cap the length.",
        },
        {
          selector: "CallExpression[callee.object.name='request'][callee.property.name='formData']",
          message: "Use readForm(request) from ~/lib/forms: a body that is not a form answers 400, never a 500.",
        },
      ],
    },
  },
  {
    // Migrations take Kysely<any> on purpose: they never import the app's table types (docs/architecture.md §1).
    files: ["migrations/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
