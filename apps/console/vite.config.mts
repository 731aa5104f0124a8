import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console: built into dist/console and served by the API at /; `npm run console:dev` runs
// Vite's dev server with /api proxied to the API on :3000.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  // Every script, style and preload tag gets nonce="__CSP_NONCE__" (and a <meta property="csp-nonce">);
  // the API replaces it per response (apps/api/src/app.factory.ts, CSP_NONCE_PLACEHOLDER).
  html: { cspNonce: '__CSP_NONCE__' },
  resolve: {
    alias: {
      '@jiebang/domain': path.resolve(import.meta.dirname, '../../libs/domain/src'),
    },
  },
  build: {
    outDir: path.resolve(import.meta.dirname, '../../dist/console'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 3000,
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' },
  },
});
