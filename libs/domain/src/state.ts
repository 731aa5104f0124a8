import type { ActionType, AcceptanceDecision, CityDecision, SelectionDecision, SystemAction } from './actions';
import type { OrganisationProfile } from './limits';
import type { MaterialKind } from './reference/tasks';
import type { ActorRole } from './roles';
import type { Stage } from './stages';

/** An opinion that takes effect only with a finance department's concurrence. */
export interface PendingOpinion<D extends string> {
  decision: D;
  byUserId: string;
  byName?: string;
  at: number;
  comment?: string;
}

/** An acceptance conclusion awaiting 省财政厅: 通过 / 不通过, or 整改 with the due time of the next acceptance. */
export interface PendingAcceptance extends PendingOpinion<AcceptanceDecision | 'RECTIFY'> {
  /** RECTIFY only: when the rectified project is due for acceptance again. */
  newDueAt?: number;
}

export interface Objection {
  id: string;
  filedAt: number;
  filedBy: string;
  comment: string;
  status: 'OPEN' | 'DISMISSED' | 'UPHELD' | 'SUPERSEDED';
  resolvedAt?: number;
  resolution?: string;
  resolutionComment?: string;
}

export interface ExpertScore {
  score: number;
  comment: string;
  at: number;
  /** By the campaign's rubric: each criterion's score (the total is `score`). */
  criteria?: Record<string, number>;
}

export interface ArchiveEntry {
  fileId: string;
  title: string;
  at: number;
}

/** Which application it is, whose, and where: fixed when it is created. */
export interface ApplicationIdentity {
  applicationId: string;
  campaignId: string;
  taskCode: string;
  orgId: string;
  org: OrganisationProfile;
  cityCode: string;
  countyCode: string;
}

/**
 * Everything the rules need to decide the next step of one application. The workflow holds it;
 * the projection mirrors parts of it.
 */
export interface ApplicationState extends ApplicationIdentity {
  stage: Stage;
  stageEnteredAt: number;
  /** Sequence number of the last recorded event; the projection ignores older ones. */
  seq: number;

  /** Submitted and holding one of the applicant's limited slots. */
  slotHeld: boolean;
  /** Holding one unit of the city quota (never for exempt enterprises). */
  quotaHeld: boolean;
  /** The quota unit has been consumed: the recommendation passed to the province at the cut-off. */
  quotaConsumed: boolean;

  submittedAt: number | null;
  lastReturn: { byRole: ActorRole; byName?: string; at: number; reason: string } | null;
  pendingCityOpinion: PendingOpinion<Extract<CityDecision, 'RECOMMEND'>> | null;
  recommendedAt: number | null;

  paperReceivedAt: number | null;
  /**
   * The formal check (形式审查): null until it is made. Undefined in runs started before it
   * existed (no V4 formal-check marker): their selection does not wait for it.
   */
  formalCheck?: { result: 'PASS' | 'FAIL'; at: number; byUserId: string; comment?: string } | null;
  /** An open supplement (补正) window: which materials may be replaced, until when. */
  supplement?: { kinds: MaterialKind[]; openedAt: number; endsAt: number; replaced: number } | null;
  experts: string[];
  scores: Record<string, ExpertScore>;
  pendingSelection: PendingOpinion<SelectionDecision> | null;
  selected: boolean;

  publicity: { openedAt: number; endsAt: number } | null;
  objections: Objection[];
  publishedAt: number | null;
  acceptanceDueAt: number | null;
  acceptanceOverdue: boolean;
  rectifications: number;

  archiveCount: number;
  /** The latest archives (bounded); the full list lives in the database. */
  recentArchives: ArchiveEntry[];
  earlyAcceptance: { status: 'REQUESTED' | 'APPROVED' | 'REJECTED'; at: number; comment: string } | null;
  /** The province's acceptance conclusion awaiting 省财政厅: pass, fail, or rectification (with its new due time). */
  pendingAcceptance: PendingAcceptance | null;

  /** Reminder keys already sent (stage, cut-off instant, hours). */
  remindersSent: string[];
  closedAt: number | null;
}

export interface NewApplication extends ApplicationIdentity {
  createdAt: number;
}

export function initialState(a: NewApplication): ApplicationState {
  return {
    applicationId: a.applicationId,
    campaignId: a.campaignId,
    taskCode: a.taskCode,
    orgId: a.orgId,
    org: a.org,
    cityCode: a.cityCode,
    countyCode: a.countyCode,
    stage: 'DRAFT',
    stageEnteredAt: a.createdAt,
    seq: 0,
    slotHeld: false,
    quotaHeld: false,
    quotaConsumed: false,
    submittedAt: null,
    lastReturn: null,
    pendingCityOpinion: null,
    recommendedAt: null,
    paperReceivedAt: null,
    formalCheck: null,
    supplement: null,
    experts: [],
    scores: {},
    pendingSelection: null,
    selected: false,
    publicity: null,
    objections: [],
    publishedAt: null,
    acceptanceDueAt: null,
    acceptanceOverdue: false,
    rectifications: 0,
    archiveCount: 0,
    recentArchives: [],
    earlyAcceptance: null,
    pendingAcceptance: null,
    remindersSent: [],
    closedAt: null,
  };
}

/** Who receives a notification: a role within a scope. */
export interface Audience {
  role: ActorRole;
  orgId?: string;
  cityCode?: string;
  countyCode?: string;
  userIds?: string[];
}

export type Effect =
  | { kind: 'CLAIM_SLOT' }
  | { kind: 'RELEASE_SLOT' }
  | { kind: 'RESERVE_QUOTA' }
  | { kind: 'RELEASE_QUOTA' }
  | { kind: 'CONSUME_QUOTA' }
  | { kind: 'ADD_TO_RESERVE_POOL' }
  /** A supplement's upload takes the place of the current files of its kind. */
  | { kind: 'REPLACE_MATERIAL'; fileId: string; materialKind: MaterialKind }
  | { kind: 'NOTIFY'; key: string; audience: Audience; category: string; message: string };

/** One recorded transition: the timeline entry and the audit row. */
export interface TransitionEvent {
  seq: number;
  action: ActionType | SystemAction;
  fromStage: Stage;
  toStage: Stage;
  actor: { userId: string; role: ActorRole; displayName?: string };
  at: number;
  comment?: string;
  /** Decision or other structured detail (score, end time, objection id...). */
  detail?: Record<string, unknown>;
  /** The Temporal Update ID (the caller's idempotency key), when a person acted. */
  updateId?: string;
}

export function averageScore(s: Pick<ApplicationState, 'scores'>): number | null {
  const values = Object.values(s.scores).map((x) => x.score);
  if (values.length === 0) return null;
  return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100;
}
