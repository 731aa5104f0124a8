/**
 * Verify the audit from the command line: `npm run audit:verify` (DATABASE_URL; the audit key
 * from the key provider, JIEBANG_KEY_PROVIDER / JIEBANG_KEY_FILE / JIEBANG_KEYS_AUDIT_MAC; the
 * checkpoints from AUDIT_CHECKPOINT_DIR or <JIEBANG_DATA_DIR>/audit-checkpoints). Checks every
 * row's HMAC-SM3, its link, the numbering without gaps, and every signed checkpoint.
 * Exit 0 when all verify; 1 naming the first row or checkpoint that does not.
 */
import { KeySet, createKeyProvider } from '@jiebang/crypto';
import { createDataSource, FileCheckpointStore, verifyAuditChain } from '@jiebang/db';
import { auditCheckpointDir } from '@jiebang/runtime';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required');
  const keys = await KeySet.load(createKeyProvider(), ['audit-mac']);
  const dir = auditCheckpointDir({ AUDIT_CHECKPOINT_DIR: process.env.AUDIT_CHECKPOINT_DIR, JIEBANG_DATA_DIR: process.env.JIEBANG_DATA_DIR });
  const ds = createDataSource(url, { poolSize: 1, applicationName: 'jiebang-audit-verify' });
  await ds.initialize();
  try {
    const r = await verifyAuditChain(ds, { keys: keys.ring('audit-mac'), ...(dir ? { checkpoints: new FileCheckpointStore(dir) } : {}) });
    if (!dir) console.error('no AUDIT_CHECKPOINT_DIR or JIEBANG_DATA_DIR: the chain is verified without its checkpoints (truncation of the newest rows is not detectable so)');
    if (r.firstBroken) {
      const b = r.firstBroken;
      console.error(`audit chain BROKEN at row ${b.id} (${b.eventType}, ${b.occurredAt}): ${b.reason}; ${r.checked} rows before it verified`);
    }
    const cp = r.checkpoints?.broken;
    if (cp) console.error(`audit checkpoint ${cp.seq} (${cp.file}) does not match: ${cp.reason}`);
    if (r.ok) {
      console.log(`audit chain OK: ${r.checked} rows verified${r.checkpoints ? `, ${r.checkpoints.checked} checkpoints match` : ''}`);
    } else {
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
