import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ACTION_LABELS, ACTIONS, endedRefusal, ROLE_LABELS, STAGE_LABELS, type ActionType, type ActorRole, type PayloadOf, type TransitionEvent } from '@jiebang/domain';
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
import type { ActionCall } from './action-endpoint';
import type { ActionResultDto } from './actions.dto';

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
  act(call: ActionCall): Promise<ActionResultDto> {
    return this.metrics.observe(call.action, () => this.perform(call));
  }

  private async perform({ action, id, body, key: sent, user, meta }: ActionCall): Promise<ActionResultDto> {
    const key = requireIdempotencyKey(sent);
    const a = await this.access.load(id, user, meta);
    const payload = await this.payloadFor(action, body, a);
    await this.claimKey(user, key, id, action, body);
    // A process that has ended may have no workflow left to answer: the projection says why.
    const ended = endedRefusal(action, { stage: a.stage, rawStage: a.raw_stage, cutoffAt: a.deadline_at ? new Date(a.deadline_at).getTime() : null });
    if (ended) {
      await this.audit.record(user, meta, `APPLICATION.${action}`, 'REFUSED', id, { code: ended.code });
      throw refusalError(ended);
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
      throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', '该操作编号（幂等键）已用于另一项操作，请重新提交', 'Idempotency-Key');
    }
  }

  /**
   * The Update's payload from the validated body, by the registry's field kinds: instants read in
   * Asia/Shanghai, a submission's attestations kept on the application and its materials (the
   * filled forms and uploaded files) added.
   */
  private async payloadFor<A extends ActionType>(action: A, body: Record<string, unknown>, a: ScopedApplication): Promise<PayloadOf<A>> {
    const payload: Record<string, unknown> = { ...body };
    for (const [name, field] of Object.entries(ACTIONS[action].payload.fields)) {
      if (field.kind === 'instant') payload[name] = instant(body[name] as string);
      if (field.kind === 'materials') payload[name] = await this.apps.materialsOf(a);
      if (field.kind === 'attestations') {
        const attestations = { ...(body[name] as Record<string, boolean>) };
        await this.ds.query('update applications set attestations = $2 where id = $1', [a.id, JSON.stringify(attestations)]);
        payload[name] = attestations;
      }
    }
    return payload as PayloadOf<A>;
  }
}
