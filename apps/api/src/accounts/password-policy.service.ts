import { Injectable } from '@nestjs/common';
import { NO_PASSWORD, PASSWORD_HISTORY, Repositories } from '@jiebang/db';
import { hashPassword, passwordProblem, verifyPassword } from '@jiebang/runtime';
import { unprocessable } from '../common/errors';

/**
 * The password policy, in one place for every way a password is set (activation, reset, change):
 * length, classes, the common-password list, the strength estimate (libs/runtime passwordProblem),
 * and no repeat of the account's last five passwords (the current one too, also after a reset
 * cleared it). Refuses with 422 naming the field, or answers the argon2id hash to store; the
 * repository adds it to the history when it is stored.
 */
@Injectable()
export class PasswordPolicy {
  constructor(private readonly db: Repositories) {}

  async accept(password: string, who: { username: string; userId?: string; displayName?: string }, field: string): Promise<string> {
    const problem = passwordProblem(password, who);
    if (problem) throw unprocessable('WEAK_PASSWORD', problem, field);
    if (who.userId && (await this.reused(who.userId, password))) {
      throw unprocessable('PASSWORD_REUSED', `新密码不能与最近${PASSWORD_HISTORY}次使用过的密码相同`, field);
    }
    return hashPassword(password);
  }

  private async reused(userId: string, password: string): Promise<boolean> {
    const current = (await this.db.users.byId(userId))?.password_hash;
    const hashes = new Set(await this.db.users.recentPasswordHashes(userId, PASSWORD_HISTORY));
    if (current && current !== NO_PASSWORD) hashes.add(current);
    for (const h of hashes) if (await verifyPassword(h, password)) return true;
    return false;
  }
}
