import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AuditLogEntity } from './entities/audit';
import {
  ApplicantSlotEntity,
  ApplicationEntity,
  ApplicationEventEntity,
  ApplicationExpertEntity,
  IdempotencyKeyEntity,
  NotificationEntity,
  QuotaReservationEntity,
  ReservePoolEntity,
} from './entities/application';
import { CampaignEntity, CityQuotaEntity, PriorPilotEntity, RegionCutoffEntity } from './entities/campaign';
import { CityReportEntity, StoredFileEntity } from './entities/files';
import { MailOutboxEntity } from './entities/mail';
import { OrganisationEntity, OrgGroupEntity, SessionEntity, UserEntity } from './entities/people';
import { RegionEntity, TaskEntity } from './entities/reference';
import { MIGRATIONS } from './migrations';

export const ENTITIES = [
  RegionEntity,
  TaskEntity,
  OrgGroupEntity,
  OrganisationEntity,
  UserEntity,
  SessionEntity,
  CampaignEntity,
  RegionCutoffEntity,
  CityQuotaEntity,
  PriorPilotEntity,
  ApplicationEntity,
  ApplicationExpertEntity,
  ApplicationEventEntity,
  QuotaReservationEntity,
  ApplicantSlotEntity,
  ReservePoolEntity,
  NotificationEntity,
  IdempotencyKeyEntity,
  StoredFileEntity,
  CityReportEntity,
  AuditLogEntity,
  MailOutboxEntity,
];

export interface DataSourceOptions {
  poolSize?: number;
  applicationName?: string;
  logging?: boolean;
  /** Statement timeout in ms for this pool (protects the API from runaway queries). */
  statementTimeoutMs?: number;
}

/** Schema is managed by migrations only (never `synchronize`). */
export function createDataSource(url: string, o: DataSourceOptions = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
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

/** Apply pending migrations; returns their names. */
export async function migrate(url: string): Promise<string[]> {
  const ds = createDataSource(url, { poolSize: 2, applicationName: 'jiebang-migrate' });
  await ds.initialize();
  try {
    const done = await ds.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
