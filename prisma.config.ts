// Prisma CLI configuration: schema and migrations location (the client gets its adapter in lib/db.ts).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
