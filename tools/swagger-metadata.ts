/**
 * Generates apps/api/src/swagger-metadata.ts: the OpenAPI metadata of every DTO property, read from
 * its TypeScript type by @nestjs/swagger's compiler plugin (run here ahead of time, since the build
 * is SWC, which runs no TypeScript transformers). A response field then needs no `@ApiProperty()`
 * of its own — `name!: string` and `at!: string | null` say it — and keeps a decorator only for what
 * its type cannot say (a description, an enum, an example). Request DTOs keep their validation
 * decorators. `npm run openapi` runs it first; test/unit/swagger-metadata.test.ts fails when stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PluginMetadataGenerator } from '@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator';

// The plugin's entry is an `exports` subpath, which this project's module resolution (node10) does not read for types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ReadonlyVisitor } = require('@nestjs/swagger/plugin') as typeof import('@nestjs/swagger/dist/plugin');

const ROOT = path.resolve(__dirname, '..');
export const METADATA_FILE = 'swagger-metadata.ts';
export const API_SRC = path.join(ROOT, 'apps', 'api', 'src');

/** Writes the metadata into `filename` beside the DTOs (its imports are relative to it) and returns its text. */
export function generateSwaggerMetadata(filename = METADATA_FILE): string {
  new PluginMetadataGenerator().generate({
    visitors: [
      new ReadonlyVisitor({
        pathToSource: API_SRC,
        dtoFileNameSuffix: ['.dto.ts'],
        // Controllers document their answers with @Endpoint; only models are read from types.
        controllerFileNameSuffix: ['.no-controller-is-read.ts'],
        classValidatorShim: false,
        introspectComments: false,
      }),
    ],
    outputDir: API_SRC,
    filename,
    // Relative to the working directory, as the generator wants it.
    tsconfigPath: path.relative(process.cwd(), path.join(API_SRC, '..', 'tsconfig.swagger.json')),
    printDiagnostics: false,
  });
  return fs.readFileSync(path.join(API_SRC, filename), 'utf8');
}

/** The metadata as the DTOs generate it now (written to a scratch file beside them, then removed). */
export function freshSwaggerMetadata(): string {
  const scratch = `swagger-metadata.check-${process.pid}.ts`;
  try {
    return generateSwaggerMetadata(scratch);
  } finally {
    fs.rmSync(path.join(API_SRC, scratch), { force: true });
  }
}

if (require.main === module) {
  generateSwaggerMetadata();
  console.log(`wrote ${path.relative(process.cwd(), path.join(API_SRC, METADATA_FILE))}`);
}
