import type { Queryable } from './queryable';

/** What an idempotency key was first claimed for. */
export interface IdempotencyClaim {
  application_id: string;
  action: string;
  request_hash: string;
}

/** Idempotency keys of actions (`idempotency_keys`), per caller. */
export class IdempotencyKeysRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Claim the key for this request, in one round trip: the claim, or what the key was claimed for
   * before. Undefined when the request lost a race to a claim not yet committed when the statement
   * began (it sees neither): the caller asks again.
   */
  async claim(actorId: string, key: string, c: IdempotencyClaim): Promise<IdempotencyClaim | undefined> {
    const [row]: IdempotencyClaim[] = await this.db.query(
      `with claimed as (
         insert into idempotency_keys (actor_id, key, application_id, action, request_hash) values ($1,$2,$3,$4,$5)
         on conflict (actor_id, key) do nothing
         returning application_id, action, request_hash)
       select application_id, action, request_hash from claimed
       union all
       select application_id, action, request_hash from idempotency_keys where actor_id = $1 and key = $2 and not exists (select 1 from claimed)`,
      [actorId, key, c.application_id, c.action, c.request_hash],
    );
    return row;
  }

  /** Point a claim made before its application existed (a draft's create) at the application. */
  async settle(actorId: string, key: string, applicationId: string): Promise<void> {
    await this.db.query('update idempotency_keys set application_id = $3 where actor_id = $1 and key = $2', [actorId, key, applicationId]);
  }

  /** Give a refused request's key back: only its own claim (the same key, the same request). */
  async release(actorId: string, key: string, requestHash: string): Promise<void> {
    await this.db.query('delete from idempotency_keys where actor_id = $1 and key = $2 and request_hash = $3', [actorId, key, requestHash]);
  }
}

/** Per-stage age thresholds of the stuck scan (`stuck_thresholds`), in hours. */
export class StuckThresholdsRepository {
  constructor(private readonly db: Queryable) {}

  async all(): Promise<Record<string, number>> {
    const rows: Array<{ stage: string; hours: number }> = await this.db.query('select stage, hours from stuck_thresholds');
    return Object.fromEntries(rows.map((r) => [r.stage, r.hours]));
  }

  async set(stage: string, hours: number): Promise<void> {
    await this.db.query(`insert into stuck_thresholds (stage, hours) values ($1,$2) on conflict (stage) do update set hours = excluded.hours, updated_at = now()`, [stage, hours]);
  }
}
