import type { CampaignRules } from './rules';
import type { Stage } from './stages';
import { currentDeadline } from './clock';
import { averageScore, type ApplicationState } from './state';

/** Whose concurrence or decision an application is waiting for, beyond its stage's owner. */
export type Pending = 'CITY_FINANCE' | 'PROVINCE_FINANCE' | 'PROVINCE_IT' | null;

/** The row the database keeps of each workflow, so lists never scan Temporal. */
export interface ProjectionRow {
  seq: number;
  /** The task, as the workflow holds it (changed on a draft only through the workflow). */
  taskCode: string;
  stage: Stage;
  stageEnteredAt: number;
  deadlineAt: number | null;
  quotaHeld: boolean;
  quotaExempt: boolean;
  pending: Pending;
  paperReceivedAt: number | null;
  selected: boolean;
  averageScore: number | null;
  publishedAt: number | null;
  acceptanceDueAt: number | null;
  acceptanceOverdue: boolean;
  archiveCount: number;
  lastReturnReason: string | null;
  submittedAt: number | null;
  recommendedAt: number | null;
  closedAt: number | null;
  experts: string[];
  /** The formal check's result, when made. */
  formalCheck: 'PASS' | 'FAIL' | null;
  /** The open supplement window's end, when one is open. */
  supplementEndsAt: number | null;
}

export function pendingOf(s: ApplicationState): Pending {
  if (s.pendingCityOpinion) return 'CITY_FINANCE';
  if (s.pendingSelection || s.pendingAcceptance) return 'PROVINCE_FINANCE';
  if (s.earlyAcceptance?.status === 'REQUESTED' || (s.stage === 'PUBLICITY' && s.objections.some((o) => o.status === 'OPEN'))) return 'PROVINCE_IT';
  return null;
}

export function projectionOf(s: ApplicationState, rules: CampaignRules): ProjectionRow {
  return {
    seq: s.seq,
    taskCode: s.taskCode,
    stage: s.stage,
    stageEnteredAt: s.stageEnteredAt,
    deadlineAt: currentDeadline(s, rules),
    quotaHeld: s.quotaHeld,
    quotaExempt: s.org.isCentralSoe || s.org.isProvincialSoe,
    pending: pendingOf(s),
    paperReceivedAt: s.paperReceivedAt,
    selected: s.selected,
    averageScore: averageScore(s),
    publishedAt: s.publishedAt,
    acceptanceDueAt: s.acceptanceDueAt,
    acceptanceOverdue: s.acceptanceOverdue,
    archiveCount: s.archiveCount,
    lastReturnReason: s.stage === 'RETURNED' ? (s.lastReturn?.reason ?? null) : null,
    submittedAt: s.submittedAt,
    recommendedAt: s.recommendedAt,
    closedAt: s.closedAt,
    experts: s.experts,
    formalCheck: s.formalCheck?.result ?? null,
    supplementEndsAt: s.supplement?.endsAt ?? null,
  };
}
