import { Injectable } from '@nestjs/common';
import { hashPassword, passwordProblem } from '@jiebang/runtime';
import { unprocessable } from '../common/errors';

/**
 * The password policy, in one place for every way a password is set (activation, reset, change):
 * refuses with 422 naming the field, or answers the argon2id hash to store.
 */
@Injectable()
export class PasswordPolicy {
  async accept(password: string, who: { username: string; userId?: string }, field: string): Promise<string> {
    const problem = passwordProblem(password, who.username);
    if (problem) throw unprocessable('WEAK_PASSWORD', problem, field);
    return hashPassword(password);
  }
}
