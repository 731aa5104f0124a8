import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { onPath, run, stopChild, waitFor, withLock, withParentDeathSignal } from './exec';
import { cacheDir } from './paths';

/** The newest CLI tag `go install` accepts (later tags carry a `replace` directive). */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEMPORAL_SERVER_VERSION = '1.29.1';
/** Java time-skipping test server, from Maven Central. */
export const TEST_SERVER_ARTIFACT = 'io.temporal:temporal-test-server';
export const TEST_SERVER_VERSION = '1.32.1';

type Log = (msg: string) => void;

async function cliVersionOk(bin: string): Promise<boolean> {
  try {
    const r = await run(bin, ['--version'], { timeoutMs: 20_000 });
    return r.code === 0 && r.stdout.includes(`Server ${TEMPORAL_SERVER_VERSION}`);
  } catch {
    return false;
  }
}



/**
 * Find the Temporal CLI: TEMPORAL_CLI → `temporal` on PATH naming Server 1.29.1 → the cache →
 * `go install` into the cache → a clear error.
 */
export async function resolveTemporalCli(log: Log = () => {}): Promise<string> {
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new Error(`TEMPORAL_CLI=${fromEnv} does not exist`);
    return fromEnv;
  }
  const system = onPath('temporal');
  if (system && (await cliVersionOk(system))) return system;

  const dir = path.join(cacheDir(), `temporal-cli-${TEMPORAL_CLI_VERSION.replace(/^v/, '')}`);
  const bin = path.join(dir, 'temporal');
  if (fs.existsSync(bin) && (await cliVersionOk(bin))) return bin;

  const go = onPath('go');
  if (!go) {
    throw new Error(
      `The Temporal CLI (Server ${TEMPORAL_SERVER_VERSION}) was not found. Install Go and run\n` +
        `  GOBIN=${dir} go install ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}\n` +
        `or set TEMPORAL_CLI to a temporal binary whose --version names Server ${TEMPORAL_SERVER_VERSION}.`,
    );
  }
  return withLock(path.join(cacheDir(), 'temporal-cli.lock'), async () => {
    if (fs.existsSync(bin) && (await cliVersionOk(bin))) return bin;
    log(`building the Temporal CLI ${TEMPORAL_CLI_VERSION} with go install into ${dir} (first time only, about 3 minutes)…`);
    fs.mkdirSync(dir, { recursive: true });
    const started = Date.now();
    const r = await run(go, ['install', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], {
      env: { ...process.env, GOBIN: dir, GOFLAGS: `${process.env.GOFLAGS ?? ''} -buildvcs=false`.trim() },
      timeoutMs: 30 * 60_000,
    });
    if (r.code !== 0 || !(await cliVersionOk(bin))) {
      throw new Error(
        `go install ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION} failed (exit ${r.code}):\n${r.stderr.slice(-2000)}\n` +
          `Install the Temporal CLI by hand (GOBIN=${dir} go install …) or set TEMPORAL_CLI.`,
      );
    }
    log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s`);
    return bin;
  });
}

const TEST_SERVER_POM = (dir: string) => `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>jiebang</groupId>
  <artifactId>temporal-test-server-fetch</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>${TEST_SERVER_ARTIFACT.split(':')[0]}</groupId>
      <artifactId>${TEST_SERVER_ARTIFACT.split(':')[1]}</artifactId>
      <version>${TEST_SERVER_VERSION}</version>
    </dependency>
  </dependencies>
  <build><directory>${dir}/target</directory></build>
</project>
`;

/**
 * The Java time-skipping test server: its jars copied from Maven into the cache, and a two-line
 * wrapper script to pass as `existing-path` to TestWorkflowEnvironment.createTimeSkipping.
 */
export async function ensureTestServer(log: Log = () => {}): Promise<string> {
  const dir = path.join(cacheDir(), `temporal-test-server-${TEST_SERVER_VERSION}`);
  const wrapper = path.join(dir, 'temporal-test-server');
  const marker = path.join(dir, '.complete');
  if (fs.existsSync(marker) && fs.existsSync(wrapper)) return wrapper;
  return withLock(path.join(cacheDir(), 'temporal-test-server.lock'), async () => {
    if (fs.existsSync(marker) && fs.existsSync(wrapper)) return wrapper;
    if (!onPath('mvn') || !onPath('java')) {
      throw new Error(`Java 17 and Maven are needed for the time-skipping test server (${TEST_SERVER_ARTIFACT}:${TEST_SERVER_VERSION}).`);
    }
    log(`fetching ${TEST_SERVER_ARTIFACT}:${TEST_SERVER_VERSION} from Maven into ${dir}…`);
    fs.mkdirSync(dir, { recursive: true });
    const pom = path.join(dir, 'pom.xml');
    fs.writeFileSync(pom, TEST_SERVER_POM(dir));
    const r = await run('mvn', ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${path.join(dir, 'lib')}`], {
      timeoutMs: 10 * 60_000,
    });
    if (r.code !== 0) throw new Error(`mvn dependency:copy-dependencies failed:\n${(r.stdout + r.stderr).slice(-2000)}`);
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec java -cp "${path.join(dir, 'lib')}/*" io.temporal.testserver.TestServer "$@"\n`, { mode: 0o755 });
    fs.writeFileSync(marker, new Date().toISOString());
    return wrapper;
  });
}

export interface DevServerOptions {
  cli: string;
  dataDir: string;
  port: number;
  uiPort: number | null;
  namespace: string;
  /** Where the server's own log goes. */
  logFile: string;
}

export interface DevServer {
  address: string;
  uiUrl: string | null;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Arguments of `temporal server start-dev` for Jiebang: SQLite in WAL mode, namespace, search attributes. */
export function devServerArgs(o: Omit<DevServerOptions, 'cli' | 'logFile'>): string[] {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(o.port),
    '--db-filename',
    path.join(o.dataDir, 'temporal.sqlite'),
    // Measured here: the default rollback journal cuts throughput 2.5x (10 vs 25 lifecycles/s).
    '--sqlite-pragma',
    'journal_mode=wal',
    '--sqlite-pragma',
    'synchronous=normal',
    '--namespace',
    o.namespace,
    '--log-format',
    'json',
    '--log-level',
    'warn',
  ];
  for (const sa of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${sa.name}=${sa.cliType}`);
  if (o.uiPort) args.push('--ui-port', String(o.uiPort));
  else args.push('--headless');
  return args;
}

/** Start the dev server and wait until the namespace answers with the search attributes in place. */
export async function startDevServer(o: DevServerOptions): Promise<DevServer> {
  fs.mkdirSync(o.dataDir, { recursive: true });
  const out = fs.openSync(o.logFile, 'a');
  const wrapped = withParentDeathSignal(o.cli, devServerArgs(o));
  const child = spawn(wrapped.cmd, wrapped.args, { stdio: ['ignore', out, out], detached: false });
  fs.closeSync(out);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const address = `127.0.0.1:${o.port}`;
  await waitFor(
    `Temporal dev server on ${address}`,
    async () => {
      if (exited) throw new Error(`temporal server exited; see ${o.logFile}`);
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        const sa = await conn.operatorService.listSearchAttributes({ namespace: o.namespace });
        return SEARCH_ATTRIBUTES.every((a) => a.name in (sa.customAttributes ?? {}));
      } finally {
        await conn.close();
      }
    },
    120_000,
    250,
  );
  return {
    address,
    uiUrl: o.uiPort ? `http://127.0.0.1:${o.uiPort}` : null,
    process: child,
    stop: () => stopChild(child, 'SIGTERM', 20_000),
  };
}
