import { DataSource } from 'typeorm';
import { AcceptanceRepository } from './acceptance';
import { AccountTokensRepository, RepairRequestsRepository } from './accounts';
import { ApplicationsRepository } from './applications';
import { AuditRepository } from './audit';
import { BatchJobsRepository } from './batch-jobs';
import { CampaignsRepository } from './campaigns';
import { DefenceRepository } from './defence';
import { FollowUpRepository } from './follow-up';
import { CityReportsRepository, FilesRepository } from './files';
import { IdempotencyKeysRepository, StuckThresholdsRepository } from './misc';
import { WorkflowTaskFailuresRepository } from './workflow-task-failures';
import { MailOutboxRepository } from './mail-outbox';
import { NotificationsRepository } from './notifications';
import { QuotasRepository, ReservePoolRepository, SlotsRepository } from './places';
import { PilotsRepository } from './pilots';
import { ProjectionRepository } from './projection';
import { PublicationRepository } from './publication';
import { ReviewRepository } from './review';
import { SelectionRepository } from './selection';
import type { Queryable } from './queryable';
import { TimelineRepository } from './timeline';
import { SessionsRepository, UsersRepository } from './users';
import { GroupsRepository, OrganisationsRepository } from './organisations';
import { RateLimitsRepository } from './rate-limits';
import { WorkbenchRepository } from './workbench';

export * from './acceptance';
export * from './accounts';
export * from './applications';
export * from './audit';
export * from './batch-jobs';
export * from './campaigns';
export * from './defence';
export * from './files';
export * from './follow-up';
export * from './mail-outbox';
export * from './misc';
export * from './workflow-task-failures';
export * from './notifications';
export * from './pilots';
export * from './places';
export * from './projection';
export * from './queryable';
export * from './publication';
export * from './review';
export * from './selection';
export * from './timeline';
export * from './users';
export * from './organisations';
export * from './rate-limits';
export * from './workbench';

/**
 * Every repository, bound to one place to run: the pool, or one transaction. The API injects one
 * bound to the pool; `transaction` hands out a set bound to a new transaction, so a unit of work
 * reads `db.transaction(async (tx) => { … tx.campaigns.lock(id) … tx.audit.append(…) })`.
 */
export class Repositories {
  readonly applications: ApplicationsRepository;
  readonly projection: ProjectionRepository;
  readonly timeline: TimelineRepository;
  readonly slots: SlotsRepository;
  readonly quotas: QuotasRepository;
  readonly reservePool: ReservePoolRepository;
  readonly notifications: NotificationsRepository;
  readonly audit: AuditRepository;
  readonly campaigns: CampaignsRepository;
  readonly batchJobs: BatchJobsRepository;
  readonly users: UsersRepository;
  readonly organisations: OrganisationsRepository;
  readonly sessions: SessionsRepository;
  readonly idempotencyKeys: IdempotencyKeysRepository;
  readonly workflowTaskFailures: WorkflowTaskFailuresRepository;
  readonly files: FilesRepository;
  readonly cityReports: CityReportsRepository;
  readonly stuckThresholds: StuckThresholdsRepository;
  readonly mailOutbox: MailOutboxRepository;
  readonly review: ReviewRepository;
  readonly publication: PublicationRepository;
  readonly accountTokens: AccountTokensRepository;
  readonly repairRequests: RepairRequestsRepository;
  readonly groups: GroupsRepository;
  readonly pilots: PilotsRepository;
  readonly rateLimits: RateLimitsRepository;
  readonly workbench: WorkbenchRepository;
  readonly selection: SelectionRepository;
  readonly defence: DefenceRepository;
  readonly followUp: FollowUpRepository;
  readonly acceptance: AcceptanceRepository;

  constructor(readonly db: Queryable) {
    this.applications = new ApplicationsRepository(db);
    this.projection = new ProjectionRepository(db);
    this.timeline = new TimelineRepository(db);
    this.slots = new SlotsRepository(db);
    this.quotas = new QuotasRepository(db);
    this.reservePool = new ReservePoolRepository(db);
    this.notifications = new NotificationsRepository(db);
    this.audit = new AuditRepository(db);
    this.campaigns = new CampaignsRepository(db);
    this.batchJobs = new BatchJobsRepository(db);
    this.users = new UsersRepository(db);
    this.organisations = new OrganisationsRepository(db);
    this.sessions = new SessionsRepository(db);
    this.idempotencyKeys = new IdempotencyKeysRepository(db);
    this.workflowTaskFailures = new WorkflowTaskFailuresRepository(db);
    this.files = new FilesRepository(db);
    this.cityReports = new CityReportsRepository(db);
    this.stuckThresholds = new StuckThresholdsRepository(db);
    this.mailOutbox = new MailOutboxRepository(db);
    this.review = new ReviewRepository(db);
    this.publication = new PublicationRepository(db);
    this.accountTokens = new AccountTokensRepository(db);
    this.repairRequests = new RepairRequestsRepository(db);
    this.groups = new GroupsRepository(db);
    this.pilots = new PilotsRepository(db);
    this.rateLimits = new RateLimitsRepository(db);
    this.workbench = new WorkbenchRepository(db);
    this.selection = new SelectionRepository(db);
    this.defence = new DefenceRepository(db);
    this.followUp = new FollowUpRepository(db);
    this.acceptance = new AcceptanceRepository(db);
  }

  /** Run `fn` in one transaction with every repository bound to it (inside one already, in that one). */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T> {
    if (this.db instanceof DataSource) return this.db.transaction((m) => fn(new Repositories(m)));
    return fn(this);
  }

  /** Whether PostgreSQL answers (health). */
  async ping(): Promise<void> {
    await this.db.query('select 1');
  }
}
