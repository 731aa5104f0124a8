import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from '@jiebang/domain';
import type { AuthUser, RequestMeta } from './auth.types';

export const IS_PUBLIC = 'jiebang:public';
export const ROLES = 'jiebang:roles';
export const BEFORE_DUTIES = 'jiebang:before-duties';

/**
 * Reachable while the session still has a duty (TOTP enrolment at the first login of a role that
 * needs it, a password change once the password expired): login state, logout and those two.
 */
export const BeforeDuties = () => SetMetadata(BEFORE_DUTIES, true);

/** No authentication (health, login, OpenAPI). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * Only these roles. Without it, every role but AUDITOR and SECURITY_ADMIN may call (the auditor
 * reads the audit, the security administrator manages accounts); those two are admitted only where
 * they are named.
 */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const req = ctx.switchToHttp().getRequest<Request & { user?: AuthUser }>();
  return req.user!;
});

/** The caller's address and the request id, for logs and the audit. */
export function requestMeta(req: Request & { id?: unknown }): RequestMeta {
  return { ip: req.ip ?? null, requestId: typeof req.id === 'string' ? req.id : null };
}

export const Meta = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestMeta => requestMeta(ctx.switchToHttp().getRequest<Request>()));

/** What a write needs of its request: who calls, from where, and the Idempotency-Key header as sent (the service checks it). */
export interface CallContext {
  user: AuthUser;
  meta: RequestMeta;
  key: string | undefined;
}

export const Call = createParamDecorator((_: unknown, ctx: ExecutionContext): CallContext => {
  const req = ctx.switchToHttp().getRequest<Request & { user?: AuthUser }>();
  return { user: req.user!, meta: requestMeta(req), key: req.headers['idempotency-key'] as string | undefined };
});
