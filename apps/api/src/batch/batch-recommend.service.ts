import { Injectable } from '@nestjs/common';
import { Repositories } from '@jiebang/db';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { ApiError } from '../common/errors';
import { BATCH_KEY_MAX, requireIdempotencyKey } from '../common/idempotency';
import { ActionsService } from '../actions/actions.service';
import { runBulk } from '../actions/bulk';
import { QuotasService } from '../campaigns/quotas.service';
import type { BatchRecommendPreviewDto, BatchRecommendResultDto } from './batch.dto';

/**
 * The city recommends several applications at once, bounded by its quota: a preview counts what
 * the quota would hold (used + reserved + awaiting finance + the selection); beyond it the batch
 * is stopped before anything is sent. Each recommendation is one action with its own
 * idempotency key derived from the batch's.
 */
@Injectable()
export class BatchRecommendService {
  constructor(
    private readonly db: Repositories,
    private readonly quotas: QuotasService,
    private readonly actions: ActionsService,
  ) {}

  async preview(user: AuthUser, campaignId: string, ids: string[]): Promise<BatchRecommendPreviewDto> {
    const cityCode = user.cityCode!;
    const usage = await this.quotas.usage(user, campaignId, cityCode);
    const unique = [...new Set(ids)];
    const rows = await this.db.applications.recommendCandidates(user, unique);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const items = unique.map((id) => {
      const r = byId.get(id);
      // Outside the city, or not there at all: the same answer (no existence leak).
      if (!r || r.city_code !== cityCode || r.campaign_id !== campaignId) return { id, projectName: '', quotaExempt: false, eligible: false, reason: '不存在或不属于本市本批次' };
      const reason = r.stage !== 'CITY_REVIEW' ? '不在市级审核环节' : r.pending ? '已提出推荐意见，待市财政局会签' : null;
      return { id, projectName: r.project_name, quotaExempt: r.quota_exempt, eligible: reason === null, reason };
    });
    const counting = items.filter((i) => i.eligible && !i.quotaExempt).length;
    const after = usage.used + usage.reserved + usage.pending + counting;
    return {
      cityCode,
      total: usage.total,
      used: usage.used,
      reserved: usage.reserved,
      pending: usage.pending,
      selected: unique.length,
      counting,
      after,
      withinQuota: after <= usage.total,
      items,
    };
  }

  async execute(user: AuthUser, campaignId: string, ids: string[], comment: string | undefined, key: string | undefined, meta: RequestMeta): Promise<BatchRecommendResultDto> {
    requireIdempotencyKey(key, BATCH_KEY_MAX);
    const preview = await this.preview(user, campaignId, ids);
    if (!preview.withinQuota) {
      throw new ApiError(409, 'QUOTA_FULL', `推荐后将占用 ${preview.after} 个名额，超出本市名额 ${preview.total} 个，批量推荐已停止`, 'applicationIds', { preview });
    }
    const body = { decision: 'RECOMMEND', ...(comment ? { comment } : {}) };
    const steps = preview.items.map((item) => ({ id: item.id, eligible: item.eligible, reason: item.reason, action: 'cityOpinion' as const, body }));
    return { preview, ...(await runBulk((c) => this.actions.act(c), steps, { key, user, meta })) };
  }
}
