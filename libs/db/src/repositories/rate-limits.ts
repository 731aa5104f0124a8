import type { Queryable } from './queryable';

/**
 * Request counters in fixed windows (`rate_limit_hits`), in PostgreSQL so every API replica counts
 * the same requests: `hit` adds one and answers the count of the window so far. A key names a
 * client address or a hashed identifier (never personal data in clear).
 */
export class RateLimitsRepository {
  constructor(private readonly db: Queryable) {}

  /** One more request under (bucket, key) in the current window of `windowSeconds`: the count and when the window ends. */
  async hit(bucket: string, key: string, windowSeconds: number): Promise<{ hits: number; resetsAt: Date }> {
    const [row]: Array<{ hits: number; window_start: Date }> = await this.db.query(
      `insert into rate_limit_hits (bucket, key, window_start, hits)
       values ($1, $2, to_timestamp(floor(extract(epoch from now()) / $3) * $3), 1)
       on conflict (bucket, key, window_start) do update set hits = rate_limit_hits.hits + 1
       returning hits, window_start`,
      [bucket, key, windowSeconds],
    );
    return { hits: row.hits, resetsAt: new Date(new Date(row.window_start).getTime() + windowSeconds * 1000) };
  }

  /** Forget windows that ended before `before` (housekeeping; counters of the current windows stay). */
  async prune(before: Date): Promise<void> {
    await this.db.query('delete from rate_limit_hits where window_start < $1', [before]);
  }
}
