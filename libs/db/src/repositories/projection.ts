import type { ProjectionRow } from '@jiebang/domain';
import {
  bindingCutoffSql,
  closedByCutoffSql,
  closingStageSql,
  effectiveStageSql,
  PASSED_ON_AT_CUTOFF,
  PASSED_TO_AT_CUTOFF,
  PRE_SHUTDOWN_SQL,
  stageList,
} from '../sql/stages';
import type { Queryable } from './queryable';

const ts = (ms: number | null | undefined): Date | null => (ms === null || ms === undefined ? null : new Date(ms));

/**
 * What the workflows write of themselves into `applications` (the projection lists read), the
 * expert panel beside it, and the statements that keep it right between two workflow steps: the
 * campaign timer's closing at a cut-off and the re-projection of moved deadlines.
 */
export class ProjectionRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Write a step's projection. Newer sequence numbers only: a stale or repeated write changes
   * nothing. A pre-shutdown stage whose cut-off has already passed is written closed, as the
   * campaign timer closed it.
   */
  async write(applicationId: string, p: ProjectionRow): Promise<void> {
    await this.db.query(
      `update applications set
         seq = $2,
         stage = ${effectiveStageSql('$3', '$5::timestamptz')},
         stage_entered_at = case when ${closedByCutoffSql('$3', '$5::timestamptz')} then $5 else $4 end,
         deadline_at = $5, quota_held = $6, quota_exempt = $7, pending = $8, paper_received_at = $9, selected = $10,
         average_score = $11, published_at = $12, acceptance_due_at = $13, acceptance_overdue = $14, archive_count = $15,
         last_return_reason = $16, submitted_at = $17, recommended_at = $18, closed_at = $19,
         task_code = coalesce($20, task_code), formal_check = $21, supplement_ends_at = $22, updated_at = now()
       where id = $1 and seq < $2`,
      [
        applicationId,
        p.seq,
        p.stage,
        ts(p.stageEnteredAt),
        ts(p.deadlineAt),
        p.quotaHeld,
        p.quotaExempt,
        p.pending,
        ts(p.paperReceivedAt),
        p.selected,
        p.averageScore,
        ts(p.publishedAt),
        ts(p.acceptanceDueAt),
        p.acceptanceOverdue,
        p.archiveCount,
        p.lastReturnReason,
        ts(p.submittedAt),
        ts(p.recommendedAt),
        ts(p.closedAt),
        // A projection written by a run before the task could change carries none.
        p.taskCode ?? null,
        p.formalCheck ?? null,
        ts(p.supplementEndsAt),
      ],
    );
  }

  /** Re-write the projection whatever its sequence (admin nudge, repair); in a transaction. */
  async rewrite(applicationId: string, p: ProjectionRow): Promise<void> {
    await this.db.query('update applications set seq = -1 where id = $1', [applicationId]);
    await this.write(applicationId, p);
    await this.syncExperts(applicationId, p.experts);
  }

  /** The assigned expert panel: exactly these experts (scores of those who stay are kept). */
  async syncExperts(applicationId: string, experts: string[]): Promise<void> {
    await this.db.query('delete from application_experts where application_id = $1 and not (expert_id = any($2::uuid[]))', [applicationId, experts]);
    if (experts.length) {
      await this.db.query(`insert into application_experts (application_id, expert_id) select $1, unnest($2::uuid[]) on conflict do nothing`, [applicationId, experts]);
    }
  }

  async recordScore(applicationId: string, expertId: string, at: number, score: number | null, criteria?: Record<string, number> | null): Promise<void> {
    await this.db.query('update application_experts set scored_at = $3, score = $4, criteria = $5 where application_id = $1 and expert_id = $2', [
      applicationId,
      expertId,
      ts(at),
      score,
      criteria ? JSON.stringify(criteria) : null,
    ]);
  }

  /**
   * At a cut-off instant, close every projection row of the campaign whose binding cut-off has
   * passed, in one statement; recommendations passing to the province consume their quota unit
   * in the same statement. Idempotent. Returns how many rows it closed.
   */
  async closeDue(campaignId: string, at: number): Promise<number> {
    const rows: Array<{ closed: number }> = await this.db.query(
      `with closed as (
         update applications set
           stage = ${closingStageSql('stage')},
           stage_entered_at = deadline_at,
           closed_at = case when stage in ${stageList(PASSED_ON_AT_CUTOFF)} then closed_at else deadline_at end,
           pending = null,
           updated_at = now()
         where campaign_id = $1
           and stage in ${PRE_SHUTDOWN_SQL}
           and deadline_at <= $2
         returning id, stage
       ), consumed as (
         update quota_reservations set status = 'CONSUMED', changed_at = now()
         where status = 'RESERVED' and application_id in (select id from closed where stage in ${stageList(PASSED_TO_AT_CUTOFF)})
       )
       select count(*)::int as closed from closed`,
      [campaignId, new Date(at)],
    );
    return rows[0]?.closed ?? 0;
  }

  /**
   * Re-compute the deadline of every open row of the campaign whose deadline has not passed (a
   * passed one is never re-opened), so lists are right at once, before the workflows hear of it.
   */
  async reprojectDeadlines(campaignId: string): Promise<void> {
    await this.db.query(
      `update applications a set
         deadline_at = ${bindingCutoffSql('a.stage', {
           PROVINCE: 'c.shutdown_at',
           CITY_FILING: '(select filing_at from region_cutoffs r where r.campaign_id = a.campaign_id and r.region_code = a.city_code)',
           CITY_REVIEW: '(select review_at from region_cutoffs r where r.campaign_id = a.campaign_id and r.region_code = a.city_code)',
           COUNTY_FILING: '(select filing_at from region_cutoffs r where r.campaign_id = a.campaign_id and r.region_code = a.county_code)',
           COUNTY_REVIEW: '(select review_at from region_cutoffs r where r.campaign_id = a.campaign_id and r.region_code = a.county_code)',
         })},
         updated_at = now()
       from campaigns c
       where c.id = a.campaign_id and a.campaign_id = $1 and a.stage in ${PRE_SHUTDOWN_SQL} and (a.deadline_at is null or a.deadline_at > now())`,
      [campaignId],
    );
  }

  /** An administrator terminated the application: the row closes now. */
  async terminate(applicationId: string): Promise<void> {
    await this.db.query(`update applications set stage = 'TERMINATED', pending = null, closed_at = now(), stage_entered_at = now(), updated_at = now() where id = $1`, [applicationId]);
  }
}
