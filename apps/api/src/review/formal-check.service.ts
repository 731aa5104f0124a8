import { Injectable } from '@nestjs/common';
import { Repositories } from '@jiebang/db';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { notFound } from '../common/errors';
import { BATCH_KEY_MAX, requireIdempotencyKey } from '../common/idempotency';
import { ActionsService } from '../actions/actions.service';
import { runBulk } from '../actions/bulk';
import type { FormalCheckItemDto, FormalCheckPreviewDto, FormalCheckResultDto } from './formal-check.dto';

/**
 * The formal check (形式审查) in bulk: a preview names, per application, whether the check can be
 * made now and why not; the run takes each eligible one as the formalCheck action (its own
 * idempotency key, the batch's with the application number appended), so a repeated batch
 * changes each application once. A single check is the action itself.
 */
@Injectable()
export class FormalCheckService {
  constructor(
    private readonly db: Repositories,
    private readonly actions: ActionsService,
  ) {}

  async preview(user: AuthUser, campaignId: string, items: FormalCheckItemDto[]): Promise<FormalCheckPreviewDto> {
    const c = await this.db.campaigns.get(campaignId);
    if (!c) throw notFound('申报批次');
    const rows = await this.db.applications.reviewCandidates(user, [...new Set(items.map((i) => i.applicationId))]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const seen = new Set<string>();
    const shutdownPassed = c.shutdown_at.getTime() <= Date.now();
    const out = items.map((i) => {
      const r = byId.get(i.applicationId);
      const reason = ((): string | null => {
        if (!r || r.campaign_id !== campaignId) return '不存在或不属于本批次';
        if (seen.has(i.applicationId)) return '重复选择';
        if (!shutdownPassed) return '全省系统关闭后才能开展形式审查';
        if (r.stage !== 'PROVINCIAL_REVIEW') return '不在省级评审环节';
        if (r.formal_check) return '形式审查已完成';
        if (r.selected || r.pending === 'PROVINCE_FINANCE') return '入围意见已提出';
        if (i.decision === 'FAIL' && !i.comment?.trim()) return '请填写形式审查不通过的理由';
        return null;
      })();
      seen.add(i.applicationId);
      return { applicationId: i.applicationId, projectName: r?.project_name ?? '', orgName: r?.org_name ?? '', decision: i.decision, eligible: reason === null, reason };
    });
    return { items: out, eligible: out.filter((x) => x.eligible).length, refused: out.filter((x) => !x.eligible).length };
  }

  async execute(user: AuthUser, campaignId: string, items: FormalCheckItemDto[], key: string | undefined, meta: RequestMeta): Promise<FormalCheckResultDto> {
    requireIdempotencyKey(key, BATCH_KEY_MAX);
    const preview = await this.preview(user, campaignId, items);
    const steps = preview.items.map((item, n) => {
      const comment = items[n].comment?.trim();
      return { id: item.applicationId, eligible: item.eligible, reason: item.reason, action: 'formalCheck' as const, body: { decision: item.decision, ...(comment ? { comment } : {}) } };
    });
    return { preview, ...(await runBulk((c) => this.actions.act(c), steps, { key, user, meta })) };
  }
}
