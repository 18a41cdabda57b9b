// Flat config: eslint's recommended rules everywhere; typescript-eslint's type-checked rules for the library,
// emulator, engine, scripts, tests and bench (one program: tsconfig.test.json); the console's browser modules.
// Formatting is prettier's (`prettier --check` in `npm run lint`); none of the rules below is a formatting rule.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

/** The browser globals the console's modules use (no-undef flags any other); uPlot comes from a classic script. */
const browserGlobals = Object.fromEntries(
  ["window", "document", "location", "fetch", "console", "setTimeout", "URL", "URLSearchParams", "uPlot"].map(
    (name) => [name, "readonly"],
  ),
);

/** The Node globals the build scripts use. */
const nodeGlobals = Object.fromEntries(["process", "console"].map((name) => [name, "readonly"]));

export default defineConfig(
  { ignores: ["dist/**", "node_modules/**", "examples/**/node_modules/**", "examples/**/bin/**", ".pulumi-rooms/**"] },
  js.configs.recommended,
  {
    files: ["**/*.ts"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { project: "./tsconfig.test.json", tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Provider hooks and their fakes implement Promise-returning interfaces: `async` turns a throw into the
      // rejection the caller awaits, with or without an `await` inside.
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  {
    // Tests and bench require() fixtures.
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // The examples are user programs with their own tsconfig, typed against the built package (dist/), which a
    // fresh checkout does not have yet: they get the untyped rules.
    files: ["examples/**/*.ts"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { parserOptions: { project: false } },
  },
  {
    // The console: plain browser modules served as they are (index.html loads console.js with type="module").
    files: ["emulator/console/static/**/*.js"],
    languageOptions: { sourceType: "module", globals: browserGlobals },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { sourceType: "module", globals: nodeGlobals },
  },
  {
    // Require hooks the tests preload into child processes (`node -r`): CommonJS run as it is.
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { ...nodeGlobals, require: "readonly", module: "readonly" } },
  },
);
