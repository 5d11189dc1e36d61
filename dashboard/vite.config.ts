// The browser dashboard: built into dist/dashboard (served by every API node at `/`).
// Everything is bundled; nothing is fetched from elsewhere at run time.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/dashboard', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Inline nothing into index.html: the page's CSP allows only same-origin scripts and styles.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
});
