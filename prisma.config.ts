import { defineConfig } from 'prisma/config';

// The app applies migrations itself (src/infra/migrate.ts). DATABASE_URL is only needed when running the
// Prisma CLI (migrate status/deploy) against a server by hand.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/docstore' },
});
