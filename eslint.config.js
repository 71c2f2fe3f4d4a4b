// ESLint (flat config): typescript-eslint's recommended rules and React's rules of hooks over the
// app, the database layer, the server, scripts and tests. `npm run lint` runs it; so does `npm test`.
// A rule turned off here says why; a rule turned off in a file says why on the same line.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "node_modules/**", "test/artifacts/**", ".cache/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Unused names are errors, except the conventional `_`-prefixed ones (ignored parameters,
      // destructured-away fields).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      // TypeScript checks undefined names itself (and knows DOM and Node globals).
      "no-undef": "off",
      // Chinese text uses the ideographic space (U+3000) on purpose — in forms' blanks and in comments
      // documenting the characters the code handles; only code outside strings and text is checked.
      "no-irregular-whitespace": ["error", { skipStrings: true, skipComments: true, skipTemplates: true, skipJSXText: true }],
    },
  },
  {
    // A migration runs on the schema of its own day, not today's `Database` type, so it takes
    // `Kysely<any>` as Kysely's migration docs do; and a migration is never edited once it landed.
    files: ["db/migrations/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
