import type { Actor, Role } from '@jiebang/domain';

/** The authenticated caller of a request. */
export interface AuthUser {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  orgId: string | null;
  cityCode: string | null;
  countyCode: string | null;
  sessionId: string;
  /** The id (jti) of the access token this request came with. */
  tokenId?: string | null;
}

export function actorOf(u: AuthUser): Actor {
  return { userId: u.userId, role: u.role, displayName: u.displayName, orgId: u.orgId, cityCode: u.cityCode, countyCode: u.countyCode };
}

/** What a request carries for the audit: who, from where, which request. */
export interface RequestMeta {
  ip: string | null;
  requestId: string | null;
}

export interface JwtClaims {
  sub: string;
  sid: string;
  role: Role;
  name: string;
  /** The token's id (signed as `jti`): refresh exchanges only the session's newest one. */
  jti?: string;
  /** Expiry in seconds since the epoch (always set by TokensService; a token without it is refused). */
  exp?: number;
}
