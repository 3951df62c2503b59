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
  // `next dev` refuses its dev bundle to other origins than localhost: opening 127.0.0.1:3000 must work too.
  allowedDevOrigins: ["127.0.0.1"],
};

module.exports = nextConfig;
