import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';

// The console: built into dist/console and served by the API at /; `npm run console:dev` runs
// Vite's dev server with /api proxied to the API on :3000. Each page is its own chunk (React.lazy);
// every file is also written brotli- and gzip-compressed (at the highest levels, once, at build
// time), and the API serves the precompressed file the browser accepts.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [
    react(),
    {
      // pdf.js's character maps, standard fonts and decoders, fetched by the PDF preview on demand.
      name: 'jiebang-pdfjs-assets',
      apply: 'build',
      writeBundle(options) {
        const from = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
        for (const dir of ['cmaps', 'standard_fonts', 'wasm']) fs.cpSync(path.join(from, dir), path.join(options.dir!, 'pdfjs', dir), { recursive: true });
      },
    },
    compression({
      algorithms: [defineAlgorithm('brotliCompress', { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }), defineAlgorithm('gzip', { level: 9 })],
      threshold: 1024,
      skipIfLargerOrEqual: true,
    }),
  ],
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
    chunkSizeWarningLimit: 600,
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' },
  },
});
