import { defineConfig } from 'drizzle-kit';

/** Used only by `npx drizzle-kit generate` to write new migration files from the schema. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './src/db/migrations',
});
