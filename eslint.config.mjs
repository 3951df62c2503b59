// ESLint flat config: Next.js core web vitals and TypeScript rules.
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    // Generic primitives point one way: features (mfa, keys, …) build on components/ui, never the reverse.
    files: ["components/ui/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/components/*", "!@/components/ui"], message: "components/ui imports only components/ui." },
            { group: ["../*"], message: "components/ui imports only components/ui." },
          ],
        },
      ],
    },
  },
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "lib/generated/**",
      "data/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
      "packages/*/dist/**",
      "packages/sdk/src/schema.d.ts",
    ],
  },
];

export default config;
