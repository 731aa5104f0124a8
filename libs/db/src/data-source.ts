import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { grantAppRole } from './roles';

export interface DataSourceOptions {
  poolSize?: number;
  applicationName?: string;
  logging?: boolean;
  /** Statement timeout in ms for this pool (protects the API from runaway queries). */
  statementTimeoutMs?: number;
}

/**
 * The pool, its transactions and the migrations. The schema is the migrations' alone (never
 * `synchronize`); statements are the repositories' (repositories/), no entity classes.
 */
export function createDataSource(url: string, o: DataSourceOptions = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    logging: o.logging ?? false,
    applicationName: o.applicationName ?? 'jiebang',
    extra: {
      max: o.poolSize ?? 10,
      connectionTimeoutMillis: 5000,
      ...(o.statementTimeoutMs ? { statement_timeout: o.statementTimeoutMs } : {}),
    },
  });
}

/**
 * Apply pending migrations (as the schema's owner); returns their names. Then the application
 * role's privileges are (re-)applied when that role exists (roles.ts), so a new table is
 * granted and the audit stays append-only for it.
 */
export async function migrate(url: string): Promise<string[]> {
  const ds = createDataSource(url, { poolSize: 2, applicationName: 'jiebang-migrate' });
  await ds.initialize();
  try {
    const done = await ds.runMigrations({ transaction: 'each' });
    await grantAppRole(ds);
    return done.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
