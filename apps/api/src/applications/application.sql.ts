import { EDITABLE_STAGES, findTask, STAGE_LABELS, type Stage } from '@jiebang/domain';
import { regionName } from '@jiebang/domain/reference/regions';
import { effectiveStageIsSql, effectiveStageSql } from '@jiebang/db';
import type { AuthUser } from '../auth/auth.types';
import { iso } from '../common/time';
import type { ApplicationSummaryDto } from './application.dto';

/** The stage of projection row `a` as of now (libs/db/src/sql/stages.ts). */
export const EFFECTIVE_STAGE = effectiveStageSql('a.stage', 'a.deadline_at');

/** A filter on the effective stage that keeps the projection's indexes usable. */
export function stageFilter(stage: Stage, param: string): string {
  return effectiveStageIsSql(stage, param);
}

/**
 * Which applications the caller may see, as SQL over `a` (applications). Reviewers see what has
 * been submitted in their region; drafts stay the applicant's own.
 */
export function scopeWhere(user: AuthUser, args: unknown[]): string {
  const p = (v: unknown) => {
    args.push(v);
    return `$${args.length}`;
  };
  switch (user.role) {
    case 'APPLICANT':
      return `a.org_id = ${p(user.orgId)}`;
    case 'COUNTY_REVIEWER':
      return `a.county_code = ${p(user.countyCode)} and a.submitted_at is not null`;
    case 'CITY_IT':
    case 'CITY_FINANCE':
      return `a.city_code = ${p(user.cityCode)} and a.submitted_at is not null`;
    case 'PROVINCE_IT':
    case 'PROVINCE_FINANCE':
      return `a.submitted_at is not null`;
    case 'EXPERT':
      return `exists (select 1 from application_experts x where x.application_id = a.id and x.expert_id = ${p(user.userId)})`;
    case 'ADMIN':
      return 'true';
    default:
      return 'false';
  }
}

/** What waits for the caller (the inbox), as SQL over `a`; the scope applies on top. */
export function inboxWhere(user: AuthUser, args: unknown[]): string {
  const open = (stage: Stage) => effectiveStageIsSql(stage);
  switch (user.role) {
    case 'APPLICANT':
      return `(${EDITABLE_STAGES.map(open).join(' or ')} or (a.stage in ('IMPLEMENTATION','ACCEPTANCE')))`;
    case 'COUNTY_REVIEWER':
      return open('COUNTY_REVIEW');
    case 'CITY_IT':
      return `(${open('CITY_REVIEW')} and a.pending is null)`;
    case 'CITY_FINANCE':
      return `(${open('CITY_REVIEW')} and a.pending = 'CITY_FINANCE')`;
    case 'PROVINCE_IT':
      return `(${open('PROVINCIAL_REVIEW')} and a.pending is null)
              or (a.stage in ('PUBLICITY','IMPLEMENTATION') and a.pending = 'PROVINCE_IT')
              or (a.stage = 'ACCEPTANCE' and a.pending is null)`;
    case 'PROVINCE_FINANCE':
      return `a.pending = 'PROVINCE_FINANCE'`;
    case 'EXPERT': {
      args.push(user.userId);
      return `a.stage = 'PROVINCIAL_REVIEW' and exists (select 1 from application_experts x where x.application_id = a.id and x.expert_id = $${args.length} and x.scored_at is null)`;
    }
    default:
      return 'false';
  }
}

export const SUMMARY_COLUMNS = `a.id, a.campaign_id, a.task_code, a.project_name, a.org_id, o.name as org_name, o.applicant_type, a.city_code, a.county_code,
  ${EFFECTIVE_STAGE} as stage, a.stage_entered_at, a.deadline_at, a.pending, a.quota_exempt, a.quota_held, a.average_score,
  a.acceptance_overdue, a.archive_count, a.last_return_reason, a.submitted_at, a.published_at, a.acceptance_due_at, a.paper_received_at,
  a.selected, a.seq, a.updated_at, a.stage as raw_stage`;

export interface SummaryRow {
  id: string;
  campaign_id: string;
  task_code: string;
  project_name: string;
  org_id: string;
  org_name: string;
  applicant_type: string;
  city_code: string;
  county_code: string;
  stage: Stage;
  raw_stage: Stage;
  stage_entered_at: Date;
  deadline_at: Date | null;
  pending: string | null;
  quota_exempt: boolean;
  quota_held: boolean;
  average_score: string | null;
  acceptance_overdue: boolean;
  archive_count: number;
  last_return_reason: string | null;
  submitted_at: Date | null;
  published_at: Date | null;
  acceptance_due_at: Date | null;
  paper_received_at: Date | null;
  selected: boolean;
  seq: number;
  updated_at: Date;
}

export function toSummary(r: SummaryRow): ApplicationSummaryDto {
  // A stage closed by its passed cut-off entered the new stage at that instant.
  const closedByClock = r.stage !== r.raw_stage;
  return {
    id: r.id,
    campaignId: r.campaign_id,
    taskCode: r.task_code,
    taskName: findTask(r.task_code)?.name ?? r.task_code,
    projectName: r.project_name,
    orgId: r.org_id,
    orgName: r.org_name,
    applicantType: r.applicant_type,
    cityCode: r.city_code,
    cityName: regionName(r.city_code),
    countyCode: r.county_code,
    countyName: regionName(r.county_code),
    stage: r.stage,
    stageLabel: STAGE_LABELS[r.stage],
    stageEnteredAt: iso(closedByClock ? r.deadline_at : r.stage_entered_at)!,
    deadlineAt: closedByClock ? null : iso(r.deadline_at),
    pending: closedByClock ? null : r.pending,
    quotaExempt: r.quota_exempt,
    quotaHeld: r.quota_held,
    averageScore: r.average_score === null ? null : Number(r.average_score),
    acceptanceOverdue: r.acceptance_overdue,
    archiveCount: r.archive_count,
    lastReturnReason: r.last_return_reason,
    submittedAt: iso(r.submitted_at),
    publishedAt: iso(r.published_at),
    acceptanceDueAt: iso(r.acceptance_due_at),
    paperReceivedAt: iso(r.paper_received_at),
    selected: r.selected,
    seq: r.seq,
    updatedAt: iso(r.updated_at)!,
  };
}
