import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Role } from '@jiebang/domain';
import { Repositories } from '@jiebang/db';
import { ApiConfig } from '@jiebang/runtime';
import { AuditService } from '../audit/audit.service';
import { ApiError } from '../common/errors';
import { sessionDuties } from './duties';
import type { AuthUser } from './auth.types';
import { BEFORE_DUTIES, IS_PUBLIC, ROLES } from './decorators';
import { TokensService } from './tokens.service';

/**
 * Roles admitted only where an endpoint names them (三员分立): the auditor reads the audit, the
 * security administrator manages accounts; neither sees applications.
 */
const NAMED_ONLY: Role[] = ['AUDITOR', 'SECURITY_ADMIN'];
const DENIED_MESSAGES: Partial<Record<Role, string>> = {
  AUDITOR: '审计管理员只能查阅审计日志',
  SECURITY_ADMIN: '安全管理员只能管理账号与安全策略',
};

/** Sessions are touched at most this often (the idle clock needs no finer grain). */
const TOUCH_EVERY_MS = 30_000;

function unauthenticated(code: string, message: string): ApiError {
  return new ApiError(401, code, message);
}

/**
 * Authentication and role checks for every request, in one place: a valid access token (HS256,
 * audience, issuer, expiry), a live session (not revoked, not idle, within its absolute lifetime), an enabled account, and the
 * endpoint's roles. Application scope is checked by ApplicationAccess.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    private readonly db: Repositories,
    private readonly cfg: ApiConfig,
    private readonly audit: AuditService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { user?: AuthUser; id?: string }>();
    const meta = { ip: req.ip ?? null, requestId: typeof req.id === 'string' ? req.id : null };
    const header = req.headers.authorization;
    if (!header || !header.startsWith('Bearer ')) throw unauthenticated('UNAUTHENTICATED', '请先登录');
    let claims;
    try {
      claims = await this.tokens.verify(header.slice(7).trim());
    } catch (err) {
      const expired = (err as { name?: string }).name === 'TokenExpiredError';
      await this.audit.record(null, meta, 'AUTH.TOKEN_REJECTED', 'DENIED', null, { reason: expired ? 'expired' : 'invalid', path: req.path });
      throw expired ? unauthenticated('TOKEN_EXPIRED', '登录已过期，请重新登录') : unauthenticated('TOKEN_INVALID', '登录凭证无效，请重新登录');
    }
    const row = await this.db.sessions.withUser(claims.sid, claims.sub);
    if (!row || row.revoked_at || row.disabled) throw unauthenticated('SESSION_ENDED', '会话已结束，请重新登录');
    const idleMs = this.cfg.SESSION_IDLE_MINUTES * 60_000;
    const seen = new Date(row.last_seen_at).getTime();
    if (Date.now() - seen > idleMs) {
      await this.db.sessions.revoke(claims.sid);
      await this.audit.record({ userId: row.id, username: row.username, role: row.role }, meta, 'AUTH.SESSION_IDLE_TIMEOUT', 'DENIED', null, null);
      throw unauthenticated('SESSION_IDLE', `超过${this.cfg.SESSION_IDLE_MINUTES}分钟未操作，会话已结束，请重新登录`);
    }
    if (Date.now() - new Date(row.started_at).getTime() > this.cfg.SESSION_MAX_HOURS * 3_600_000) {
      await this.db.sessions.revoke(claims.sid);
      await this.audit.record({ userId: row.id, username: row.username, role: row.role }, meta, 'AUTH.SESSION_EXPIRED', 'DENIED', null, { maxHours: this.cfg.SESSION_MAX_HOURS });
      throw unauthenticated('SESSION_EXPIRED', `会话已达到最长${this.cfg.SESSION_MAX_HOURS}小时，请重新登录`);
    }
    if (Date.now() - seen > TOUCH_EVERY_MS) await this.db.sessions.touch(claims.sid);
    const user: AuthUser = {
      userId: row.id,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      orgId: row.org_id,
      cityCode: row.city_code,
      countyCode: row.county_code,
      sessionId: claims.sid,
      tokenId: claims.jti ?? null,
    };
    req.user = user;

    // A duty first (TOTP enrolment for a role that needs it; an expired password): nothing else until it is done.
    if (!this.reflector.getAllAndOverride<boolean>(BEFORE_DUTIES, targets)) {
      const duties = sessionDuties(row, this.cfg);
      if (duties.mustEnrolTotp) throw new ApiError(403, 'TOTP_ENROLMENT_REQUIRED', '您的角色须使用动态口令登录，请先在“账号安全”页面绑定动态口令');
      if (duties.mustChangePassword) {
        throw new ApiError(403, 'PASSWORD_CHANGE_REQUIRED', `您的密码已超过${this.cfg.PASSWORD_MAX_AGE_DAYS}天未修改，请先在“账号安全”页面修改密码`);
      }
    }

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    const allowed = roles ? roles.includes(user.role) : !NAMED_ONLY.includes(user.role);
    if (!allowed) {
      await this.audit.record(user, meta, 'AUTH.ACCESS_DENIED', 'DENIED', req.path, { method: req.method });
      throw new ApiError(403, 'FORBIDDEN', DENIED_MESSAGES[user.role] ?? '您的角色无权执行此操作');
    }
    return true;
  }
}
