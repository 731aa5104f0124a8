/**
 * Verify the audit's hash chain from the command line: `npm run audit:verify` (DATABASE_URL).
 * Exit 0 when every row verifies; 1 naming the first row that does not.
 */
import { createDataSource, verifyAuditChain } from '@jiebang/db';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required');
  const ds = createDataSource(url, { poolSize: 1, applicationName: 'jiebang-audit-verify' });
  await ds.initialize();
  try {
    const r = await verifyAuditChain(ds);
    if (r.ok) {
      console.log(`audit chain OK: ${r.checked} rows verified`);
    } else {
      const b = r.firstBroken!;
      console.error(`audit chain BROKEN at row ${b.id} (${b.eventType}, ${b.occurredAt}): ${b.reason}; ${r.checked} rows before it verified`);
      process.exitCode = 1;
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
