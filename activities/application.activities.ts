import type { DataSource } from 'typeorm';
import {
  checkApplicantLimits,
  refuse,
  submissionBlockedBy,
  type OrganisationStatus,
  type Effect,
  type OrganisationProfile,
  type ProjectionRow,
  type TransitionEvent,
} from '@jiebang/domain';
import { Repositories } from '@jiebang/db';
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
  /** A person's action (v6a on): the client address and request id its audit row carries. */
  origin?: { ip: string | null; requestId: string | null };
}

export interface ApplyStepResult {
  /** False when this event had been recorded before (a retry or a duplicate). */
  applied: boolean;
}


export function createApplicationActivities(ds: DataSource) {
  const db = new Repositories(ds);

  /**
   * Claim one of the applicant's limited places. The organisation's row (and its group's) is
   * locked, so two submissions of one organisation or group are counted one after the other.
   */
  async function claimSlot(tx: Repositories, i: ApplyStepInput): Promise<void> {
    const org = await tx.slots.lockOrganisation(i.orgId);
    if (!org) throw refusalFailure(refuse('INVALID_INPUT', '申报单位不存在'));
    // Under the organisation's lock: a submission that raced a change of its details waits for the county.
    const blocked = submissionBlockedBy(org.status as OrganisationStatus);
    if (blocked) throw refusalFailure(refuse('ORG_NOT_VERIFIED', blocked));
    const groupId = org.group_id;
    if (groupId) await tx.slots.lockGroup(groupId);
    if ((await tx.slots.statusOf(i.applicationId)) === 'HELD') return;
    const counts = await tx.slots.counts({ campaignId: i.campaignId, orgId: i.orgId, applicationId: i.applicationId, creditCode: org.credit_code, groupId });
    const limits = await tx.campaigns.limits(i.campaignId);
    const refusal = checkApplicantLimits(
      { ...i.org, groupId },
      { organisationActive: counts.org_active, organisationPilotYears: counts.org_pilot_years, groupActive: counts.group_active, groupPilotYears: counts.group_pilot_years },
      limits,
      await tx.campaigns.pilotYears(i.campaignId),
    );
    if (refusal) throw refusalFailure(refusal);
    await tx.slots.hold({ applicationId: i.applicationId, campaignId: i.campaignId, orgId: i.orgId, groupId });
  }

  /**
   * Reserve one unit of the city's quota. The city's quota row is locked (select … for update),
   * so concurrent recommendations of one city are counted strictly one after the other.
   */
  async function reserveQuota(tx: Repositories, i: ApplyStepInput): Promise<void> {
    const quota = await tx.quotas.lock(i.campaignId, i.cityCode);
    const mine = await tx.quotas.reservationOf(i.applicationId);
    if (mine !== null && mine !== 'RELEASED') return;
    if (quota === null) throw refusalFailure(refuse('QUOTA_FULL', '本市尚未设置推荐名额，请联系管理员'));
    const used = await tx.quotas.taken(i.campaignId, i.cityCode);
    if (used >= quota) {
      throw refusalFailure(refuse('QUOTA_FULL', `本市推荐名额已满（${used}/${quota}）`));
    }
    await tx.quotas.reserve({ applicationId: i.applicationId, campaignId: i.campaignId, cityCode: i.cityCode });
  }

  /** What each kind of effect writes. */
  const effects: { [K in Effect['kind']]: (tx: Repositories, i: ApplyStepInput, e: Extract<Effect, { kind: K }>) => Promise<void> } = {
    CLAIM_SLOT: (tx, i) => claimSlot(tx, i),
    RELEASE_SLOT: (tx, i) => tx.slots.release(i.applicationId),
    RESERVE_QUOTA: (tx, i) => reserveQuota(tx, i),
    RELEASE_QUOTA: (tx, i) => tx.quotas.release(i.applicationId),
    CONSUME_QUOTA: (tx, i) => tx.quotas.consume(i.applicationId),
    ADD_TO_RESERVE_POOL: (tx, i) => tx.reservePool.add({ applicationId: i.applicationId, campaignId: i.campaignId, orgId: i.orgId, at: new Date(i.event?.at ?? Date.now()) }),
    REPLACE_MATERIAL: async (tx, i, e) => {
      if (!(await tx.files.takeReplacement(e.fileId, i.applicationId, e.materialKind))) {
        throw refusalFailure(refuse('INVALID_INPUT', '补正文件不存在或类别不符', 'fileId'));
      }
    },
    NOTIFY: (tx, i, e) => tx.notifications.add({ key: e.key, applicationId: i.applicationId, audience: e.audience, category: e.category, message: e.message }),
  };

  async function applyEffects(tx: Repositories, i: ApplyStepInput): Promise<void> {
    for (const e of i.effects) {
      const write = effects[e.kind] as ((tx: Repositories, i: ApplyStepInput, e: Effect) => Promise<void>) | undefined;
      if (write) await write(tx, i, e);
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
      return db.transaction(async (tx) => {
        const e = i.event;
        if (e && !(await tx.timeline.record(i.applicationId, e))) return { applied: false };
        await applyEffects(tx, i);
        if (e && i.projection) {
          await tx.projection.write(i.applicationId, i.projection);
          if (e.action === 'assignExperts') await tx.projection.syncExperts(i.applicationId, i.projection.experts);
          // A submission's attestations, recorded with the submission itself (never by a refused one).
          const attested = (e.detail as { attestations?: Record<string, boolean> } | undefined)?.attestations;
          if ((e.action === 'submit' || e.action === 'resubmit') && attested) await tx.applications.setAttestations(i.applicationId, attested);
          if (e.action === 'expertScore') {
            const d = e.detail as { score?: number; criteria?: Record<string, number> } | undefined;
            await tx.projection.recordScore(i.applicationId, e.actor.userId, e.at, d?.score ?? null, d?.criteria ?? null);
          }
          await tx.audit.append([
            {
              occurredAt: new Date(e.at),
              userId: e.actor.userId,
              // The person is the account (user_id): the audit keeps no name or login of it.
              username: null,
              role: e.actor.role,
              eventType: `APPLICATION.${e.action}`,
              outcome: 'SUCCESS',
              target: i.applicationId,
              detail: {
                seq: e.seq,
                from: e.fromStage,
                to: e.toStage,
                ...(e.comment ? { comment: e.comment } : {}),
                ...(e.detail ?? {}),
                ...(i.origin && e.updateId ? { updateId: e.updateId } : {}),
              },
              // The request that caused it, carried from the API through the Update (v6a); before,
              // the Update's id stood in.
              ip: i.origin?.ip ?? null,
              requestId: i.origin?.requestId ?? e.updateId ?? null,
            },
          ]);
        }
        return { applied: true };
      });
    },

    /** Re-write the projection from the workflow's state (admin nudge, repair). */
    async syncProjection(i: { applicationId: string; projection: ProjectionRow }): Promise<void> {
      await db.transaction((tx) => tx.projection.rewrite(i.applicationId, i.projection));
    },
  };
}

export type ApplicationActivities = ReturnType<typeof createApplicationActivities>;
