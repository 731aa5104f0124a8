import fs from 'node:fs';
import type { LocalMail } from '../../tools/stack/mail';
import type { PostgresInstance } from '../../tools/stack/postgres';
import type { DevServer } from '../../tools/stack/temporal';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as Record<string, unknown>).__JIEBANG_STACK__ as { pg: PostgresInstance | null; temporal: DevServer; mail?: LocalMail; root: string } | undefined;
  if (!stack) return;
  await Promise.allSettled([stack.temporal.stop(), stack.pg?.stop(), stack.mail?.stop()]);
  if (!process.env.JIEBANG_KEEP_TEST_DATA) fs.rmSync(stack.root, { recursive: true, force: true });
}
