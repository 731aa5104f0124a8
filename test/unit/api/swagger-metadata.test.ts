/**
 * The committed apps/api/src/swagger-metadata.ts (each DTO property's type, for the OpenAPI
 * document) is the one the DTOs generate now: stale, the document would miss or mistype a field
 * that changed, and the console's typed client with it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { API_SRC, freshSwaggerMetadata, METADATA_FILE } from '../../../tools/swagger-metadata';

test('the committed swagger metadata is the one the DTOs generate', () => {
  const committed = fs.readFileSync(path.join(API_SRC, METADATA_FILE), 'utf8');
  // Stale? run `npm run openapi` (it regenerates this file first) and commit the result.
  expect(freshSwaggerMetadata()).toBe(committed);
}, 300_000);
