import { EFFECTIVE_STAGE } from './applications';
import type { Queryable } from './queryable';
import { TASK_NAME_SQL } from './campaigns';

/** One entry of a public list: the application, its organisation, task and city; no personal data. */
export interface PublicEntryRow {
  id: string;
  project_name: string;
  org_name: string;
  task_code: string;
  task_name: string | null;
  city_code: string;
  stage: string;
  /** The publicity's end (PUBLICITY) — from the projection's deadline. */
  deadline_at: Date | null;
  published_at: Date | null;
}

export interface ReservePoolRow {
  id: string;
  project_name: string;
  org_name: string;
  credit_code: string;
  task_code: string;
  task_name: string | null;
  city_code: string;
  stage: string;
  added_at: Date;
}

/** What the province makes public (公示, 公布) and the provincial reserve pool (储备库). */
export class PublicationRepository {
  constructor(private readonly db: Queryable) {}

  /** The campaign's applications under publicity now. */
  inPublicity(campaignId: string): Promise<PublicEntryRow[]> {
    return this.db.query(
      `select a.id, a.project_name, o.name as org_name, a.task_code, ${TASK_NAME_SQL} as task_name, a.city_code, ${EFFECTIVE_STAGE} as stage, a.deadline_at, a.published_at
         from applications a join organisations o on o.id = a.org_id
        where a.campaign_id = $1 and a.stage = 'PUBLICITY' order by a.task_code, a.city_code, a.id`,
      [campaignId],
    );
  }

  /** The campaign's published results (implementation started), in the order of publication. */
  published(campaignId: string): Promise<PublicEntryRow[]> {
    return this.db.query(
      `select a.id, a.project_name, o.name as org_name, a.task_code, ${TASK_NAME_SQL} as task_name, a.city_code, ${EFFECTIVE_STAGE} as stage, a.deadline_at, a.published_at
         from applications a join organisations o on o.id = a.org_id
        where a.campaign_id = $1 and a.published_at is not null order by a.task_code, a.city_code, a.id`,
      [campaignId],
    );
  }

  /** The campaign's applications that passed acceptance (验收通过), published on the same page. */
  accepted(campaignId: string): Promise<PublicEntryRow[]> {
    return this.db.query(
      `select a.id, a.project_name, o.name as org_name, a.task_code, ${TASK_NAME_SQL} as task_name, a.city_code, a.stage, a.closed_at as deadline_at, a.published_at
         from applications a join organisations o on o.id = a.org_id
        where a.campaign_id = $1 and a.stage = 'ACCEPTED' order by a.task_code, a.city_code, a.id`,
      [campaignId],
    );
  }

  reservePool(campaignId: string): Promise<ReservePoolRow[]> {
    return this.db.query(
      `select a.id, a.project_name, o.name as org_name, o.credit_code, a.task_code, ${TASK_NAME_SQL} as task_name, a.city_code, ${EFFECTIVE_STAGE} as stage, r.added_at
         from reserve_pool r join applications a on a.id = r.application_id join organisations o on o.id = r.org_id
        where r.campaign_id = $1 order by r.added_at, a.id`,
      [campaignId],
    );
  }
}
