import type { DataSource } from 'typeorm';
import { Repositories, type FollowUpCandidate } from '@jiebang/db';
import { escalationTarget, formatShanghai, mustAct, ROLE_LABELS, STAGE_LABELS, type Role } from '@jiebang/domain';
import { notifyPeople } from '@jiebang/mail';
import type { Logger } from '@jiebang/runtime';

export interface FollowUpOptions {
  ds: DataSource;
  /** A county review older than this many days is escalated to the city (where its campaign sets no days of its own). */
  countyDays: number;
  /** A city review older than this many days is escalated to the province (likewise). */
  cityDays: number;
  /** Those who must still act are mailed when a cut-off is this many hours away or less. */
  reminderHours: number;
  intervalMs: number;
  log: Logger;
}

export interface FollowUpResult {
  /** Escalations recorded (each notified and mailed) by this run. */
  escalated: number;
  /** Cut-off reminder mails queued by this run. */
  reminded: number;
}

const daysSince = (d: Date) => Math.floor((Date.now() - d.getTime()) / 86_400_000);

/**
 * The worker's periodic follow-up: a county review older than its campaign's escalation days
 * (default `countyDays`) tells the city, a city review older than its (default `cityDays`) the province (once per stay in the stage, on the timeline, in the
 * console and by mail); and before each cut-off everyone who must still act gets one mail listing
 * what waits for them (once per person and cut-off). Idempotent: every record and mail is keyed,
 * so a repeated scan, a second replica or a crash half-way changes nothing twice. It changes no
 * workflow and issues no workflow command.
 */
export class FollowUpScan {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private readonly db: Repositories;

  constructor(private readonly o: FollowUpOptions) {
    this.db = new Repositories(o.ds);
  }

  start(): void {
    const tick = () => {
      this.running = this.runOnce()
        .then((r) => (r.escalated || r.reminded ? this.o.log.info(r, 'follow-up scan') : undefined))
        .catch((err) => this.o.log.warn({ err: String(err) }, 'follow-up scan failed; next run retries'))
        .finally(() => {
          this.running = null;
          if (this.timer) this.timer = setTimeout(tick, this.o.intervalMs);
        });
    };
    this.timer = setTimeout(tick, 1000);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  async runOnce(): Promise<FollowUpResult> {
    let escalated = 0;
    for (const [stage, days] of [['COUNTY_REVIEW', this.o.countyDays], ['CITY_REVIEW', this.o.cityDays]] as const) {
      for (const a of await this.db.followUp.slowReviews(stage, days)) if (await this.escalate(a, a.limit_days)) escalated++;
    }
    return { escalated, reminded: await this.remind() };
  }

  private async escalate(a: FollowUpCandidate, limit: number): Promise<boolean> {
    const to = escalationTarget(a.stage)!;
    const waited = daysSince(a.stage_entered_at);
    const where = a.stage === 'COUNTY_REVIEW' ? `${a.county_name}工信部门` : `${a.city_name}${a.pending === 'CITY_FINANCE' ? '财政局（会签）' : '工业和信息化局'}`;
    const line = `项目“${a.project_name}”（${a.id}）在${STAGE_LABELS[a.stage]}环节已等待${waited}天（超过${limit}天），${where}尚未办理，请督促。`;
    return this.db.transaction(async (tx) => {
      const id = await tx.followUp.addEscalation({ applicationId: a.id, stage: a.stage, seq: a.seq, targetRole: to, stageEnteredAt: a.stage_entered_at, message: `已等待${waited}天，超过${limit}天` });
      if (!id) return false;
      await notifyPeople(tx, {
        key: `escalation:${id}`,
        applicationId: a.id,
        audience: { role: to, ...(to === 'CITY_IT' ? { cityCode: a.city_code } : {}) },
        category: 'TODO',
        message: `超期提醒：${line}`,
        mail: {
          event: 'ESCALATION',
          category: 'ESCALATION',
          subject: `【揭榜挂帅】超期提醒：${a.project_name}`.slice(0, 200),
          to: await tx.followUp.office(to, { cityCode: a.city_code }),
          paragraphs: [line, `您可在申报详情中向${a.stage === 'COUNTY_REVIEW' ? '县（市、区）工信部门' : '市级部门'}催办。`],
          notes: ['请登录申报系统查看。'],
        },
      });
      return true;
    });
  }

  /** One mail per person and cut-off, listing what still waits for them before it. */
  private async remind(): Promise<number> {
    const groups = new Map<string, { role: Role; deadline: Date; region: { cityCode: string; countyCode: string; orgId: string }; apps: FollowUpCandidate[] }>();
    for (const a of await this.db.followUp.dueSoon(this.o.reminderHours)) {
      const role = mustAct(a.stage, a.pending);
      if (!role || !a.deadline_at) continue;
      const office = role === 'APPLICANT' ? a.org_id : role === 'COUNTY_REVIEWER' ? a.county_code : a.city_code;
      const k = `${role}:${office}:${a.deadline_at.getTime()}`;
      const g = groups.get(k) ?? { role, deadline: a.deadline_at, region: { cityCode: a.city_code, countyCode: a.county_code, orgId: a.org_id }, apps: [] };
      g.apps.push(a);
      groups.set(k, g);
    }
    let queued = 0;
    for (const g of groups.values()) {
      const at = formatShanghai(g.deadline.getTime());
      const verb = g.role === 'APPLICANT' ? '提交' : '办理';
      const shown = g.apps.slice(0, 20).map((a) => `· ${a.project_name}（${a.id}，${STAGE_LABELS[a.stage]}）`);
      queued += await this.db.transaction(async (tx) => {
        const people = await tx.followUp.office(g.role, g.region);
        let n = 0;
        // Keyed by person and cut-off: a later scan before the same cut-off mails nobody again.
        for (const p of people) {
          n += await notifyPeople(tx, {
            key: `cutoff-reminder:${g.deadline.getTime()}:${p.id}`,
            applicationId: g.apps[0].id,
            audience: { role: g.role, ...g.region, userIds: [p.id] },
            category: 'REMINDER',
            message: `截止时间 ${at}（北京时间）前，还有${g.apps.length}件申报待您${verb}`,
            mail: {
              event: 'CUTOFF_REMINDER',
              category: 'CUTOFF_REMINDER',
              subject: `【揭榜挂帅】截止前提醒：${g.apps.length}件申报待${verb}`,
              to: [p],
              paragraphs: [`截止时间 ${at}（北京时间）前，以下${g.apps.length}件申报仍待${ROLE_LABELS[g.role] === ROLE_LABELS.APPLICANT ? '贵单位' : '您'}${verb}：`, ...shown, ...(g.apps.length > shown.length ? [`另有${g.apps.length - shown.length}件，请登录系统查看。`] : [])],
              notes: ['逾期未办理的，系统将按截止规则自动处理。'],
            },
          });
        }
        return n;
      });
    }
    return queued;
  }
}
