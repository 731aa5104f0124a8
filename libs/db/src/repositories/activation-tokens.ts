import { returning, type Queryable } from './queryable';

/** One-time activation links (`activation_tokens`): only the SM3 digest of a token is stored. */
export class ActivationTokensRepository {
  constructor(private readonly db: Queryable) {}

  async create(userId: string, tokenHash: string, expiresAt: Date): Promise<string> {
    const [row]: Array<{ id: string }> = await this.db.query('insert into activation_tokens (user_id, token_hash, expires_at) values ($1,$2,$3) returning id', [userId, tokenHash, expiresAt]);
    return row.id;
  }

  /** The token by its digest, its row locked so it is used once however many requests race (in a transaction). */
  async lock(tokenHash: string): Promise<{ id: string; user_id: string; expires_at: Date; used_at: Date | null } | null> {
    const [row]: Array<{ id: string; user_id: string; expires_at: Date; used_at: Date | null }> = await this.db.query(
      'select id, user_id, expires_at, used_at from activation_tokens where token_hash = $1 for update',
      [tokenHash],
    );
    return row ?? null;
  }

  /** Mark it used, and every other open token of the account spent with it. */
  async use(id: string, userId: string): Promise<void> {
    await returning(this.db, 'update activation_tokens set used_at = now() where (id = $1 or user_id = $2) and used_at is null returning id', [id, userId]);
  }
}
