import type { ActorRole, Stage, TransitionEvent } from '@jiebang/domain';
import type { Queryable } from './queryable';

export interface TimelineRow {
  seq: number;
  action: string;
  from_stage: Stage;
  to_stage: Stage;
  actor_role: ActorRole;
  actor_name: string | null;
  occurred_at: Date;
  comment: string | null;
  detail: Record<string, unknown> | null;
}

/** The timeline of each application (`application_events`): one row per recorded transition. */
export class TimelineRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Record a transition once: the row is unique per (application, sequence), so a retried or
   * duplicated step finds it and writes nothing. True when this call recorded it.
   */
  async record(applicationId: string, e: TransitionEvent): Promise<boolean> {
    const inserted: unknown[] = await this.db.query(
      `insert into application_events (application_id, seq, action, from_stage, to_stage, actor_id, actor_role, actor_name, comment, detail, update_id, occurred_at)
       values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) on conflict (application_id, seq) do nothing returning id`,
      [
        applicationId,
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
        new Date(e.at),
      ],
    );
    return inserted.length > 0;
  }

  list(applicationId: string): Promise<TimelineRow[]> {
    return this.db.query(
      'select seq, action, from_stage, to_stage, actor_role, actor_name, occurred_at, comment, detail from application_events where application_id = $1 order by seq',
      [applicationId],
    );
  }
}
