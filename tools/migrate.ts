/**
 * Production migration step: TypeORM migrations, then the reference data (regions, tasks).
 * `node dist/tools/migrate.js` (docker-compose's `migrate` service) or `npm run db:migrate`.
 */
import { createDataSource, migrate, seedReferenceData } from '@jiebang/db';
import { createLogger } from '@jiebang/runtime';

async function main(): Promise<void> {
  const log = createLogger('migrate');
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required');
  const applied = await migrate(url);
  log.info({ applied }, applied.length ? 'migrations applied' : 'schema up to date');
  const ds = createDataSource(url, { poolSize: 1, applicationName: 'jiebang-migrate' });
  await ds.initialize();
  const ref = await seedReferenceData(ds);
  log.info(ref, 'reference data in place');
  await ds.destroy();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
