import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Where this file lives: the web package. Paths are anchored here so the config works from any cwd. */
const webRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * Builds the web app into packages/web/dist, which the server serves. In development the Vite
 * server forwards /api to a Casebook server on port 3000.
 */
export default defineConfig({
  root: webRoot,
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
    },
  },
});
