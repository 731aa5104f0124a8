/** Jest projects: unit (pure, no services) and integration (real PostgreSQL and Temporal). */

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      // Rewrites the path aliases at compile time, so global setup (outside jest's module
      // registry) resolves them too.
      baseUrl: __dirname,
      paths: require('./tsconfig.json').compilerOptions.paths,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const moduleNameMapper = {
  '^@jiebang/domain$': '<rootDir>/libs/domain/src',
  '^@jiebang/domain/(.*)$': '<rootDir>/libs/domain/src/$1',
  '^@jiebang/db$': '<rootDir>/libs/db/src',
  '^@jiebang/db/(.*)$': '<rootDir>/libs/db/src/$1',
  '^@jiebang/runtime$': '<rootDir>/libs/runtime/src',
  '^@jiebang/runtime/(.*)$': '<rootDir>/libs/runtime/src/$1',
  '^@jiebang/crypto$': '<rootDir>/libs/crypto/src',
  '^@jiebang/crypto/(.*)$': '<rootDir>/libs/crypto/src/$1',
  '^@jiebang/mail$': '<rootDir>/libs/mail/src',
  '^@jiebang/mail/(.*)$': '<rootDir>/libs/mail/src/$1',
  '^@jiebang/workflows$': '<rootDir>/workflows',
  '^@jiebang/workflows/(.*)$': '<rootDir>/workflows/$1',
  '^@jiebang/activities$': '<rootDir>/activities',
  '^@jiebang/activities/(.*)$': '<rootDir>/activities/$1',
};

const base = {
  rootDir: __dirname,
  transform: { '^.+\\.(t|j)sx?$': swc },
  moduleNameMapper,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
};

module.exports = {
  testTimeout: 120_000,
  // Quiet when tests pass: each integration test file's processes log to a file of its own,
  // printed after the result of a file that failed (test/helpers/logs.ts).
  reporters: ['default', '<rootDir>/test/setup/log-reporter.js'],
  // Two test files at a time, each in a fresh worker process: the Temporal SDK's native runtime
  // is a per-process singleton, and files sharing one process were seen to hang.
  maxWorkers: 2,
  workerIdleMemoryLimit: '1MB',
  // A worker process that ran a file (Temporal's native runtime, connections) may need more than
  // jest's 500 ms to exit on a loaded machine; jest then kills it and prints a leak warning.
  workerGracefulExitTimeout: 10_000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/{workflow,api,replay,ops,mail,browser,db,security}/**/*.test.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/setup/quiet-runtime.ts'],
      slowTestThreshold: 30,
    },
  ],
};
