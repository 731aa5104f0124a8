import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  ACTION_LABELS,
  formatShanghai,
  isTerminal,
  ROLE_LABELS,
  STAGE_LABELS,
  type ActionType,
  type ActorRole,
  type PayloadOf,
  type TransitionEvent,
} from '@jiebang/domain';
import type { ActionResult } from '@jiebang/workflows/messages';
import { AuditService } from '../audit/audit.service';
import { actorOf, type AuthUser, type RequestMeta } from '../auth/auth.types';
import { ApiError, badRequest, conflict } from '../common/errors';
import { instant, iso } from '../common/time';
import { ApplicationAccess, type ScopedApplication } from '../applications/application-access.service';
import { ApplicationsService } from '../applications/applications.service';
import { refusalFromUpdate } from '../temporal/temporal-errors';
import { TemporalGateway } from '../temporal/temporal.gateway';
import { MetricsService } from '../metrics/metrics.service';
import type { ActionResultDto } from './actions.dto';

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;

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
    private readonly ds: DataSource,
    private readonly access: ApplicationAccess,
    private readonly apps: ApplicationsService,
    private readonly workflows: TemporalGateway,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  /** Every action, timed and counted (success, refused, error) for /metrics. */
  act<A extends ActionType>(
    id: string,
    action: A,
    body: Record<string, unknown>,
    key: string | undefined,
    user: AuthUser,
    meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.metrics.observe(action, () => this.perform(id, action, body, key, user, meta));
  }

  private async perform<A extends ActionType>(
    id: string,
    action: A,
    body: Record<string, unknown>,
    key: string | undefined,
    user: AuthUser,
    meta: RequestMeta,
  ): Promise<ActionResultDto> {
    if (!key || !KEY.test(key)) {
      throw badRequest('IDEMPOTENCY_KEY_REQUIRED', '缺少或无效的 Idempotency-Key 请求头（8–128 位字母、数字或 ._:-）', 'Idempotency-Key');
    }
    const a = await this.access.load(id, user, meta);
    const payload = await this.payloadFor(action, body, a);
    await this.claimKey(user, key, id, action, body);
    if (isTerminal(a.stage)) {
      // Closed by its cut-off (now, or already processed): say so; otherwise the process has ended.
      const byClock = a.stage !== a.raw_stage || a.stage === 'CLOSED_EXPIRED';
      const deadline = a.deadline_at ? formatShanghai(new Date(a.deadline_at).getTime()) : '';
      const [code, message] = byClock
        ? ['AFTER_DEADLINE', `已超过截止时间${deadline ? `（${deadline}）` : ''}，系统已关闭此操作`]
        : ['WRONG_STAGE', `该申报已${STAGE_LABELS[a.stage]}，流程已结束`];
      await this.audit.record(user, meta, `APPLICATION.${action}`, 'REFUSED', id, { code });
      throw conflict(code, message);
    }
    try {
      const r = await this.workflows.act(id, action, actorOf(user), payload, `${user.userId}:${key}`);
      return resultDto(r);
    } catch (err) {
      const refusal = refusalFromUpdate(err);
      if (refusal) await this.audit.record(user, meta, `APPLICATION.${action}`, 'REFUSED', id, { code: refusal.code, message: refusal.message });
      throw err;
    }
  }

  /**
   * The same key from the same caller always names the same request; reusing it for another
   * application, action or body is refused.
   */
  private async claimKey(user: AuthUser, key: string, id: string, action: string, body: Record<string, unknown>): Promise<void> {
    const hash = createHash('sha256').update(JSON.stringify([id, action, body])).digest('hex');
    // One round trip: the claim, or (the key was claimed before) what it was claimed for.
    const [row]: Array<{ application_id: string; action: string; request_hash: string }> = await this.ds.query(
      `with claimed as (
         insert into idempotency_keys (actor_id, key, application_id, action, request_hash) values ($1,$2,$3,$4,$5)
         on conflict (actor_id, key) do nothing
         returning application_id, action, request_hash)
       select application_id, action, request_hash from claimed
       union all
       select application_id, action, request_hash from idempotency_keys where actor_id = $1 and key = $2 and not exists (select 1 from claimed)`,
      [user.userId, key, id, action, hash],
    );
    if (row.application_id !== id || row.action !== action || row.request_hash !== hash) {
      throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', '该 Idempotency-Key 已用于另一请求，请为新的操作使用新的键', 'Idempotency-Key');
    }
  }

  /** The Update's payload from the validated body (times read in Asia/Shanghai; submissions carry their materials). */
  private async payloadFor<A extends ActionType>(action: A, body: Record<string, unknown>, a: ScopedApplication): Promise<PayloadOf<A>> {
    const comment = typeof body.comment === 'string' ? body.comment : undefined;
    switch (action) {
      case 'submit':
      case 'resubmit': {
        const attestations = { ...(body.attestations as Record<string, boolean>) };
        await this.ds.query('update applications set attestations = $2 where id = $1', [a.id, JSON.stringify(attestations)]);
        return { attestations, materials: await this.apps.materialsOf(a), comment } as unknown as PayloadOf<A>;
      }
      case 'openPublicity':
        return { endsAt: instant(body.endsAt as string), comment } as unknown as PayloadOf<A>;
      case 'rectify':
        return { newDueAt: instant(body.newDueAt as string), comment } as unknown as PayloadOf<A>;
      default:
        return { ...body } as unknown as PayloadOf<A>;
    }
  }
}
