import { totpRequired } from '@jiebang/domain';
import type { UserRow } from '@jiebang/db';
import type { ApiConfig } from '@jiebang/runtime';

/** What the account's state requires of the session before anything else (AuthGuard enforces it). */
export interface SessionDuties {
  mustEnrolTotp: boolean;
  mustChangePassword: boolean;
}

/** A role that needs TOTP without one enrolled; a password older than PASSWORD_MAX_AGE_DAYS. */
export function sessionDuties(u: Pick<UserRow, 'role' | 'totp_enabled' | 'password_changed_at'>, cfg: Pick<ApiConfig, 'PASSWORD_MAX_AGE_DAYS'>, now = Date.now()): SessionDuties {
  const maxAgeMs = cfg.PASSWORD_MAX_AGE_DAYS * 86_400_000;
  return {
    mustEnrolTotp: totpRequired(u.role) && !u.totp_enabled,
    mustChangePassword: maxAgeMs > 0 && now - new Date(u.password_changed_at).getTime() > maxAgeMs,
  };
}
