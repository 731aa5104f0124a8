// pdf.js and its worker, one chunk loaded only when a PDF is previewed. The worker is emitted as a
// file of the build and started from it (CSP worker-src 'self'); nothing is evaluated from strings.
import { getDocument, GlobalWorkerOptions } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

export function openPdf(data: ArrayBuffer) {
  return getDocument({
    data,
    isEvalSupported: false,
    enableXfa: false,
    cMapUrl: '/pdfjs/cmaps/',
    cMapPacked: true,
    standardFontDataUrl: '/pdfjs/standard_fonts/',
    wasmUrl: '/pdfjs/wasm/',
  }).promise;
}
