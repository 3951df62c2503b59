// Next.js configuration: PGlite, the Prisma adapters and argon2 load from node_modules at run time.
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/adapter-pg",
    "pg",
    "@node-rs/argon2",
  ],
  poweredByHeader: false,
  reactStrictMode: true,
};

module.exports = nextConfig;
