import { DEFAULT_ACCEPTANCE_RUBRIC, DEFAULT_RUBRIC, type AuditEventType, type Rubric } from '@jiebang/domain';
import type { Repositories } from '@jiebang/db';
import type { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { conflict, notFound } from '../common/errors';
import { acceptedRubric } from './rubric';

/** Where one of a campaign's rubrics lives, and how its change is refused once it is scored by. */
export interface RubricStore {
  read: (db: Repositories, campaignId: string) => Promise<Rubric | null>;
  default: Rubric;
  anyScored: (tx: Repositories, campaignId: string) => Promise<boolean>;
  save: (tx: Repositories, campaignId: string, rubric: Rubric) => Promise<void>;
  event: AuditEventType;
  /** The refusal once an expert has scored by it (Chinese). */
  fixed: string;
}

/**
 * Set one of a campaign's rubrics (material review, acceptance): checked (weights add up to 100),
 * trimmed, refused once scored by, written and audited in one transaction under the campaign's lock.
 */
export async function setCampaignRubric(db: Repositories, audit: AuditService, store: RubricStore, user: AuthUser, campaignId: string, criteria: Rubric, meta: RequestMeta, extra: Record<string, unknown> = {}): Promise<void> {
  const rubric = acceptedRubric(criteria);
  await db.transaction(async (tx) => {
    if (!(await tx.campaigns.lock(campaignId))) throw notFound('申报批次');
    if (await store.anyScored(tx, campaignId)) throw conflict('RUBRIC_FIXED', store.fixed, 'criteria');
    await store.save(tx, campaignId, rubric);
    await audit.recordIn(tx, user, meta, store.event, campaignId, { criteria: rubric, ...extra });
  });
}

/** The campaign's rubrics: the material review's (评分细则) and the acceptance's (验收评分细则). */
export const RUBRICS = {
  material: { read: (db, id) => db.review.rubric(id), default: DEFAULT_RUBRIC, anyScored: (tx, id) => tx.review.anyScored(id), save: (tx, id, r) => tx.review.setRubric(id, r), event: 'CAMPAIGN.RUBRIC_SET', fixed: '已有专家按评分细则评分，评分细则不能再修改' },
  acceptance: { read: (db, id) => db.acceptance.rubric(id), default: DEFAULT_ACCEPTANCE_RUBRIC, anyScored: (tx, id) => tx.acceptance.anyScored(id), save: (tx, id, r) => tx.acceptance.setRubric(id, r), event: 'ACCEPTANCE.RUBRIC_SET', fixed: '已有专家按验收评分细则评分，验收评分细则不能再修改' },
} satisfies Record<string, RubricStore>;

/** One of a campaign's rubrics: its own, else the default; fixed once an expert has scored by it. */
export async function campaignRubric(db: Repositories, store: RubricStore, campaignId: string): Promise<{ criteria: Rubric; isDefault: boolean; fixed: boolean }> {
  if (!(await db.campaigns.get(campaignId))) throw notFound('申报批次');
  const own = await store.read(db, campaignId);
  return { criteria: own ?? store.default, isDefault: own === null, fixed: await store.anyScored(db, campaignId) };
}
