import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ACTION_LABELS, ACTIONS, endedRefusal, refuse, ROLE_LABELS, STAGE_LABELS, type ActionType, type ActorRole, type PayloadOf, type TransitionEvent } from '@jiebang/domain';
import { Repositories } from '@jiebang/db';
import type { ActionResult } from '@jiebang/workflows/messages';
import { AuditService } from '../audit/audit.service';
import { actorOf, type AuthUser } from '../auth/auth.types';
import { ApiError, refusalError } from '../common/errors';
import { requireIdempotencyKey } from '../common/idempotency';
import { instant, iso } from '../common/time';
import { ApplicationAccess, type ScopedApplication } from '../applications/application-access.service';
import { ApplicationsService } from '../applications/applications.service';
import { refusalFromUpdate } from '../temporal/temporal-errors';
import { TemporalGateway } from '../temporal/temporal.gateway';
import { MetricsService } from '../metrics/metrics.service';
import { OrganisationsService } from '../organisations/organisations.service';
import type { ActionCall } from './action-endpoint';
import type { ActionResultDto } from './actions.dto';

/** Tries of the claim before answering 503: each sees what the previous statement could not. */
const CLAIM_ATTEMPTS = 5;

/** What a key names: the application, the action and the body. */
function requestHash(id: string, action: string, body: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify([id, action, body])).digest('hex');
}

export function eventDto(e: TransitionEvent | null) {
  if (!e) return null;
  return {
    seq: e.seq,
    action: e.action,
    actionLabel: ACTION_LABELS[e.action] ?? e.action,
    fromStage: e.fromStage,
    toStage: e.toStage,
    toStageLabel: STAGE_LABELS[e.toStage],
    actorRole: e.actor.role,
    actorRoleLabel: ROLE_LABELS[e.actor.role as ActorRole] ?? e.actor.role,
    actorName: e.actor.displayName ?? null,
    at: iso(e.at)!,
    comment: e.comment ?? null,
    detail: e.detail ?? null,
  };
}

export function resultDto(r: ActionResult): ActionResultDto {
  return {
    applicationId: r.applicationId,
    action: r.action,
    stage: r.stage,
    stageLabel: STAGE_LABELS[r.stage],
    seq: r.seq,
    stageEnteredAt: iso(r.stageEnteredAt)!,
    deadlineAt: iso(r.deadlineAt),
    event: eventDto(r.event),
  };
}

/**
 * Every action on an application: scope, idempotency key, the action's payload, one Temporal
 * Update (the key is the Update ID, so a repeated request changes state once and answers the
 * same), refusals as 403/404/409/422 with their code and Chinese message.
 */
@Injectable()
export class ActionsService {
  constructor(
    private readonly db: Repositories,
    private readonly access: ApplicationAccess,
    private readonly apps: ApplicationsService,
    private readonly workflows: TemporalGateway,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
    private readonly organisations: OrganisationsService,
  ) {}

  /** Every action, timed and counted (success, refused, error) for /metrics. */
  act(call: ActionCall): Promise<ActionResultDto> {
    return this.metrics.observe(call.action, () => this.perform(call));
  }

  private async perform({ action, id, body, key: sent, user, meta }: ActionCall): Promise<ActionResultDto> {
    const key = requireIdempotencyKey(sent);
    const a = await this.access.load(id, user, meta);
    if (action === 'submit' || action === 'resubmit') {
      // Submission needs an organisation its county has verified (实名核验); drafts do not.
      const blocked = await this.organisations.submissionRefusal(a.org_id);
      if (blocked) {
        await this.audit.record(user, meta, `APPLICATION.${action}`, 'REFUSED', id, { code: 'ORG_NOT_VERIFIED' });
        throw refusalError(refuse('ORG_NOT_VERIFIED', blocked));
      }
    }
    const payload = await this.payloadFor(action, body, a);
    const hash = requestHash(id, action, body);
    await this.claimKey(user, key, id, action, hash);
    // A process that has ended may have no workflow left to answer: the projection says why.
    const ended = endedRefusal(action, { stage: a.stage, rawStage: a.raw_stage, cutoffAt: a.deadline_at ? new Date(a.deadline_at).getTime() : null });
    if (ended) {
      await this.releaseKey(user, key, hash);
      await this.audit.record(user, meta, `APPLICATION.${action}`, 'REFUSED', id, { code: ended.code });
      throw refusalError(ended);
    }
    try {
      const r = await this.workflows.act(id, action, actorOf(user), payload, `${user.userId}:${key}`, { ip: meta?.ip ?? null, requestId: meta?.requestId ?? null });
      return resultDto(r);
    } catch (err) {
      const refusal = refusalFromUpdate(err);
      if (refusal) {
        // Refused by the workflow's validator: nothing happened (a rejected Update leaves no
        // trace, so its ID is free again), and the key is released for the corrected request.
        await this.releaseKey(user, key, hash);
        await this.audit.record(user, meta, `APPLICATION.${action}`, 'REFUSED', id, { code: refusal.code, message: refusal.message });
      }
      throw err;
    }
  }

  /**
   * The same key from the same caller always names the same request; reusing it for another
   * application, action or body is refused (until a refusal releases it). Requests racing on one
   * key all pass here and meet again at Temporal, where the key is the Update ID: one Update runs,
   * every request answers its result.
   */
  private async claimKey(user: AuthUser, key: string, id: string, action: string, hash: string): Promise<void> {
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const row = await this.db.idempotencyKeys.claim(user.userId, key, { application_id: id, action, request_hash: hash });
      if (!row) continue;
      if (row.application_id !== id || row.action !== action || row.request_hash !== hash) {
        throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', '该操作编号（幂等键）已用于另一项操作，请重新提交', 'Idempotency-Key');
      }
      return;
    }
    throw new ApiError(503, 'IDEMPOTENCY_KEY_BUSY', '同一操作正在处理中，请稍后重试', 'Idempotency-Key');
  }

  /** A refused request gives its key back (only its own claim: the same key, the same request). */
  private async releaseKey(user: AuthUser, key: string, hash: string): Promise<void> {
    await this.db.idempotencyKeys.release(user.userId, key, hash);
  }

  /** Recusal (回避): no expert on a panel of an organisation they declared a tie to. */
  private async assertNoTies(expertIds: string[], a: ScopedApplication): Promise<void> {
    const ties = await this.db.review.tiesOf([...new Set(expertIds)]);
    const tied = [...ties].filter(([, codes]) => codes.has(a.credit_code)).map(([id]) => id);
    if (tied.length === 0) return;
    const names = await this.db.users.displayNames(tied);
    throw new ApiError(422, 'RECUSAL', `${names.map((n) => n.display_name).join('、')}已声明与申报单位存在关联关系，须回避`, 'expertIds');
  }

  /**
   * The Update's payload from the validated body, by the registry's field kinds: instants read in
   * Asia/Shanghai, a submission's materials (the filled forms and uploaded files) added. The
   * attestations travel with the Update: the step's own transaction records them when the
   * submission is taken, never before the workflow has decided.
   */
  private async payloadFor<A extends ActionType>(action: A, body: Record<string, unknown>, a: ScopedApplication): Promise<PayloadOf<A>> {
    const payload: Record<string, unknown> = { ...body };
    if (action === 'assignExperts') await this.assertNoTies(body.expertIds as string[], a);
    for (const [name, field] of Object.entries(ACTIONS[action].payload.fields)) {
      if (field.kind === 'instant') payload[name] = instant(body[name] as string);
      if (field.kind === 'materials') payload[name] = await this.apps.materialsOf(a);
      if (field.kind === 'attestations') payload[name] = { ...(body[name] as Record<string, boolean>) };
    }
    return payload as PayloadOf<A>;
  }
}
