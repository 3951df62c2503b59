// ESLint flat config: Next.js core web vitals and TypeScript rules, and the layers of lib/ (which folder may import which).
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Imports of a lib/ folder or of components/, by alias or by relative path (from any depth below lib/).
const libFolder = (name) => ({
  regex: `^(@/lib/|(\\.\\./)+(lib/)?|\\./)${name}(/|$)`,
  message: `Layers point one way: this folder does not import lib/${name}.`,
});
const components = {
  regex: "^(@/|(\\.\\./)+)components(/|$)",
  message: "Layers point one way: lib/ does not import components/.",
};

const config = [
  ...nextVitals,
  ...nextTs,
  // The domain (every lib/ folder but the two entry layers) never imports the HTTP API, the server actions or React
  // components. lib/server is the Node server's own plumbing around the API (it asks which paths are the API's).
  {
    files: ["lib/**/*.{ts,tsx}"],
    ignores: ["lib/api/**", "lib/actions/**", "lib/server/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [libFolder("api"), libFolder("actions"), components] }],
    },
  },
  // The HTTP API and the server actions are two entry layers side by side: neither imports the other, nor components.
  {
    files: ["lib/api/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [libFolder("actions"), components] }] },
  },
  {
    files: ["lib/actions/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [libFolder("api"), components] }] },
  },
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
