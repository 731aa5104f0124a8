import { STAGE_LABELS } from '@jiebang/domain';
import { regionName } from '@jiebang/domain/reference/regions';
import type { SummaryRow } from '@jiebang/db';
import { iso } from '../common/time';
import type { ApplicationSummaryDto } from './application.dto';

/** Who sees the experts' average: the province and operators (an expert never sees the others' scores). */
const SEES_SCORES: ReadonlySet<string> = new Set(['PROVINCE_IT', 'PROVINCE_FINANCE', 'ADMIN']);

/** A projection row (libs/db) as lists show it, to a caller of this role. */
export function toSummary(r: SummaryRow, role?: string): ApplicationSummaryDto {
  // A stage closed by its passed cut-off entered the new stage at that instant.
  const closedByClock = r.stage !== r.raw_stage;
  return {
    id: r.id,
    campaignId: r.campaign_id,
    taskCode: r.task_code,
    taskName: r.task_name ?? r.task_code,
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
    averageScore: r.average_score === null || (role !== undefined && !SEES_SCORES.has(role)) ? null : Number(r.average_score),
    acceptanceOverdue: r.acceptance_overdue,
    archiveCount: r.archive_count,
    lastReturnReason: r.last_return_reason,
    submittedAt: iso(r.submitted_at),
    publishedAt: iso(r.published_at),
    acceptanceDueAt: iso(r.acceptance_due_at),
    paperReceivedAt: iso(r.paper_received_at),
    selected: r.selected,
    formalCheck: r.formal_check ?? null,
    supplementEndsAt: iso(r.supplement_ends_at ?? null),
    seq: r.seq,
    updatedAt: iso(r.updated_at)!,
    assigneeId: null,
    assigneeName: null,
  };
}
