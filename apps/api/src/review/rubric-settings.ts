import { rubricProblem, type AuditEventType, type Rubric } from '@jiebang/domain';
import type { Repositories } from '@jiebang/db';
import type { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { conflict, notFound, refusalError } from '../common/errors';

/** Where one of a campaign's rubrics lives, and how its change is refused once it is scored by. */
export interface RubricStore {
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
  const problem = rubricProblem(criteria);
  if (problem) throw refusalError(problem);
  const rubric = criteria.map((c) => ({ key: c.key, label: c.label.trim(), max: c.max, weight: c.weight }));
  await db.transaction(async (tx) => {
    if (!(await tx.campaigns.lock(campaignId))) throw notFound('申报批次');
    if (await store.anyScored(tx, campaignId)) throw conflict('RUBRIC_FIXED', store.fixed, 'criteria');
    await store.save(tx, campaignId, rubric);
    await audit.recordIn(tx, user, meta, store.event, campaignId, { criteria: rubric, ...extra });
  });
}
