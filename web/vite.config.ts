import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console: a static single-page app in web/dist. It imports the API's own modules (`#shared/*`: the fiscal
// core, the permission table) through the root package.json's `imports`, so the browser runs the same code.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Which chunk belongs to which route: read by bench/web.ts.
    manifest: true,
    // The budget that matters is bench/web.ts's (initial JS gzipped ≤ 250 KB), not vite's raw 500 kB warning.
    chunkSizeWarningLimit: 1024,
    // No inline script or style: the CSP allows only files from the console's own origin.
    assetsInlineLimit: 0,
  },
});
