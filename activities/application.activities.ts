import type { DataSource, EntityManager } from 'typeorm';
import {
  checkApplicantLimits,
  DEFAULT_LIMITS,
  refuse,
  type ApplicantLimits,
  type Effect,
  type OrganisationProfile,
  type ProjectionRow,
  type TransitionEvent,
} from '@jiebang/domain';
import { appendAudit, closedByCutoffSql, effectiveStageSql } from '@jiebang/db';
import { refusalFailure } from '@jiebang/workflows/refusals';

/** Everything one recorded step writes, in one transaction. */
export interface ApplyStepInput {
  applicationId: string;
  campaignId: string;
  cityCode: string;
  countyCode: string;
  orgId: string;
  org: OrganisationProfile;
  /** The recorded transition, or null for a step that only notifies (reminders). */
  event: TransitionEvent | null;
  effects: Effect[];
  /** The projection after the step (null when the step has no event). */
  projection: ProjectionRow | null;
}

export interface ApplyStepResult {
  /** False when this event had been recorded before (a retry or a duplicate). */
  applied: boolean;
}

const ts = (ms: number | null | undefined): Date | null => (ms === null || ms === undefined ? null : new Date(ms));

export function createApplicationActivities(ds: DataSource) {
  async function loadLimits(m: EntityManager, campaignId: string): Promise<ApplicantLimits> {
    const rows: Array<{ sp: number; mf: number; g: number }> = await m.query(
      'select limit_service_provider as sp, limit_manufacturer as mf, limit_group as g from campaigns where id = $1',
      [campaignId],
    );
    return rows[0] ? { serviceProvider: rows[0].sp, manufacturer: rows[0].mf, group: rows[0].g } : DEFAULT_LIMITS;
  }

  /**
   * Claim one of the applicant's limited places. The organisation's row (and its group's) is
   * locked, so two submissions of one organisation or group are counted one after the other.
   */
  async function claimSlot(m: EntityManager, i: ApplyStepInput): Promise<void> {
    const orgRows: Array<{ group_id: string | null; credit_code: string }> = await m.query(
      'select group_id, credit_code from organisations where id = $1 for update',
      [i.orgId],
    );
    if (orgRows.length === 0) throw refusalFailure(refuse('INVALID_INPUT', '申报单位不存在'));
    const groupId = orgRows[0].group_id;
    if (groupId) await m.query('select id from org_groups where id = $1 for update', [groupId]);
    const held: Array<{ status: string }> = await m.query('select status from applicant_slots where application_id = $1', [i.applicationId]);
    if (held[0]?.status === 'HELD') return;
    const [counts]: Array<{ org_active: number; org_pilots: number; group_active: number; group_pilots: number }> = await m.query(
      `select
         (select count(*)::int from applicant_slots where campaign_id = $1 and org_id = $2 and status = 'HELD' and application_id <> $3) as org_active,
         (select count(*)::int from prior_pilots where credit_code = $4) as org_pilots,
         (select count(*)::int from applicant_slots where campaign_id = $1 and $5::uuid is not null and group_id = $5 and status = 'HELD' and application_id <> $3) as group_active,
         (select count(*)::int from prior_pilots p where $5::uuid is not null and (p.group_id = $5
            or p.credit_code in (select credit_code from organisations where group_id = $5))) as group_pilots`,
      [i.campaignId, i.orgId, i.applicationId, orgRows[0].credit_code, groupId],
    );
    const limits = await loadLimits(m, i.campaignId);
    const refusal = checkApplicantLimits(
      { ...i.org, groupId },
      { organisationActive: counts.org_active, organisationPilots: counts.org_pilots, groupActive: counts.group_active, groupPilots: counts.group_pilots },
      limits,
    );
    if (refusal) throw refusalFailure(refusal);
    await m.query(
      `insert into applicant_slots (application_id, campaign_id, org_id, group_id, status, changed_at) values ($1,$2,$3,$4,'HELD',now())
       on conflict (application_id) do update set status = 'HELD', changed_at = now()`,
      [i.applicationId, i.campaignId, i.orgId, groupId],
    );
  }

  /**
   * Reserve one unit of the city's quota. The city's quota row is locked (select … for update),
   * so concurrent recommendations of one city are counted strictly one after the other.
   */
  async function reserveQuota(m: EntityManager, i: ApplyStepInput): Promise<void> {
    const quotaRows: Array<{ quota: number }> = await m.query(
      'select quota from city_quotas where campaign_id = $1 and city_code = $2 for update',
      [i.campaignId, i.cityCode],
    );
    const mine: Array<{ status: string }> = await m.query('select status from quota_reservations where application_id = $1', [i.applicationId]);
    if (mine[0] && mine[0].status !== 'RELEASED') return;
    if (quotaRows.length === 0) throw refusalFailure(refuse('QUOTA_FULL', '本市尚未设置推荐名额，请联系管理员'));
    const [{ used }]: Array<{ used: number }> = await m.query(
      `select count(*)::int as used from quota_reservations where campaign_id = $1 and city_code = $2 and status in ('RESERVED','CONSUMED')`,
      [i.campaignId, i.cityCode],
    );
    if (used >= quotaRows[0].quota) {
      throw refusalFailure(refuse('QUOTA_FULL', `本市推荐名额已满（${used}/${quotaRows[0].quota}）`));
    }
    await m.query(
      `insert into quota_reservations (application_id, campaign_id, city_code, status, reserved_at, changed_at) values ($1,$2,$3,'RESERVED',now(),now())
       on conflict (application_id) do update set status = 'RESERVED', reserved_at = now(), changed_at = now()`,
      [i.applicationId, i.campaignId, i.cityCode],
    );
  }

  async function applyEffects(m: EntityManager, i: ApplyStepInput): Promise<void> {
    for (const e of i.effects) {
      switch (e.kind) {
        case 'CLAIM_SLOT':
          await claimSlot(m, i);
          break;
        case 'RELEASE_SLOT':
          await m.query(`update applicant_slots set status = 'RELEASED', changed_at = now() where application_id = $1 and status = 'HELD'`, [i.applicationId]);
          break;
        case 'RESERVE_QUOTA':
          await reserveQuota(m, i);
          break;
        case 'RELEASE_QUOTA':
          await m.query(`update quota_reservations set status = 'RELEASED', changed_at = now() where application_id = $1 and status = 'RESERVED'`, [
            i.applicationId,
          ]);
          break;
        case 'CONSUME_QUOTA':
          await m.query(`update quota_reservations set status = 'CONSUMED', changed_at = now() where application_id = $1 and status = 'RESERVED'`, [
            i.applicationId,
          ]);
          break;
        case 'ADD_TO_RESERVE_POOL':
          await m.query(
            `insert into reserve_pool (application_id, campaign_id, org_id, added_at) values ($1,$2,$3,$4) on conflict (application_id) do nothing`,
            [i.applicationId, i.campaignId, i.orgId, ts(i.event?.at ?? Date.now())],
          );
          break;
        case 'NOTIFY':
          await m.query(
            `insert into notifications (key, application_id, recipient_role, org_id, city_code, county_code, user_ids, category, message)
             values ($1,$2,$3,$4,$5,$6,$7,$8,$9) on conflict (key) do nothing`,
            [
              e.key,
              i.applicationId,
              e.audience.role,
              e.audience.orgId ?? null,
              e.audience.cityCode ?? null,
              e.audience.countyCode ?? null,
              e.audience.userIds && e.audience.userIds.length ? e.audience.userIds : null,
              e.category,
              e.message,
            ],
          );
          break;
      }
    }
  }

  async function writeProjection(m: EntityManager, i: ApplyStepInput, p: ProjectionRow): Promise<void> {
    // Newer sequence numbers only: a stale or repeated write changes nothing. A pre-shutdown
    // stage whose cut-off has already passed is written closed, as the campaign timer closed it.
    await m.query(
      `update applications set
         seq = $2,
         stage = ${effectiveStageSql('$3', '$5::timestamptz')},
         stage_entered_at = case when ${closedByCutoffSql('$3', '$5::timestamptz')} then $5 else $4 end,
         deadline_at = $5, quota_held = $6, quota_exempt = $7, pending = $8, paper_received_at = $9, selected = $10,
         average_score = $11, published_at = $12, acceptance_due_at = $13, acceptance_overdue = $14, archive_count = $15,
         last_return_reason = $16, submitted_at = $17, recommended_at = $18, closed_at = $19, updated_at = now()
       where id = $1 and seq < $2`,
      [
        i.applicationId,
        p.seq,
        p.stage,
        ts(p.stageEnteredAt),
        ts(p.deadlineAt),
        p.quotaHeld,
        p.quotaExempt,
        p.pending,
        ts(p.paperReceivedAt),
        p.selected,
        p.averageScore,
        ts(p.publishedAt),
        ts(p.acceptanceDueAt),
        p.acceptanceOverdue,
        p.archiveCount,
        p.lastReturnReason,
        ts(p.submittedAt),
        ts(p.recommendedAt),
        ts(p.closedAt),
      ],
    );
  }

  async function syncExperts(m: EntityManager, applicationId: string, experts: string[]): Promise<void> {
    await m.query('delete from application_experts where application_id = $1 and not (expert_id = any($2::uuid[]))', [applicationId, experts]);
    if (experts.length) {
      await m.query(
        `insert into application_experts (application_id, expert_id) select $1, unnest($2::uuid[]) on conflict do nothing`,
        [applicationId, experts],
      );
    }
  }

  return {
    /**
     * Record one step of an application: its event (timeline and hash-chained audit), its
     * effects (places, quota, notifications, reserve pool) and its projection, all in one
     * transaction. Idempotent: the event is unique per (application, sequence), so a retried or
     * duplicated call finds it and changes nothing.
     */
    async applyStep(i: ApplyStepInput): Promise<ApplyStepResult> {
      return ds.transaction(async (m) => {
        const e = i.event;
        if (e) {
          const inserted: unknown[] = await m.query(
            `insert into application_events (application_id, seq, action, from_stage, to_stage, actor_id, actor_role, actor_name, comment, detail, update_id, occurred_at)
             values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) on conflict (application_id, seq) do nothing returning id`,
            [
              i.applicationId,
              e.seq,
              e.action,
              e.fromStage,
              e.toStage,
              e.actor.userId,
              e.actor.role,
              e.actor.displayName ?? null,
              e.comment ?? null,
              e.detail ? JSON.stringify(e.detail) : null,
              e.updateId ?? null,
              ts(e.at),
            ],
          );
          if (inserted.length === 0) return { applied: false };
        }
        await applyEffects(m, i);
        if (e && i.projection) {
          await writeProjection(m, i, i.projection);
          if (e.action === 'assignExperts') await syncExperts(m, i.applicationId, i.projection.experts);
          if (e.action === 'expertScore') {
            await m.query('update application_experts set scored_at = $3, score = $4 where application_id = $1 and expert_id = $2', [
              i.applicationId,
              e.actor.userId,
              ts(e.at),
              (e.detail as { score?: number } | undefined)?.score ?? null,
            ]);
          }
          await appendAudit(m, [
            {
              occurredAt: new Date(e.at),
              userId: e.actor.userId,
              username: e.actor.displayName ?? null,
              role: e.actor.role,
              eventType: `APPLICATION.${e.action}`,
              outcome: 'SUCCESS',
              target: i.applicationId,
              detail: { seq: e.seq, from: e.fromStage, to: e.toStage, ...(e.comment ? { comment: e.comment } : {}), ...(e.detail ?? {}) },
              requestId: e.updateId ?? null,
            },
          ]);
        }
        return { applied: true };
      });
    },

    /** Re-write the projection from the workflow's state (admin nudge, repair). */
    async syncProjection(i: { applicationId: string; projection: ProjectionRow }): Promise<void> {
      await ds.transaction(async (m) => {
        await m.query('update applications set seq = -1 where id = $1', [i.applicationId]);
        await writeProjection(m, { applicationId: i.applicationId } as ApplyStepInput, i.projection);
        await syncExperts(m, i.applicationId, i.projection.experts);
      });
    },
  };
}

export type ApplicationActivities = ReturnType<typeof createApplicationActivities>;
