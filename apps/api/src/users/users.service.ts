import { Injectable } from '@nestjs/common';
import { Repositories, type AccountRow } from '@jiebang/db';
import { cityOfCounty, findRegion } from '@jiebang/domain/reference/regions';
import { hashPassword, passwordProblem } from '@jiebang/runtime';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { conflict, notFound, unprocessable } from '../common/errors';
import { iso } from '../common/time';
import type { CreateUserDto, ExpertDto, UpdateUserDto, UserDto } from './users.dto';

function toDto(r: AccountRow): UserDto {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role as UserDto['role'],
    orgId: r.org_id,
    cityCode: r.city_code,
    countyCode: r.county_code,
    disabled: r.disabled,
    lockedUntil: iso(r.locked_until),
    totpEnabled: r.totp_enabled,
    lastLoginAt: iso(r.last_login_at),
  };
}

/** Accounts: the expert pool, and the administrator's account management (each change audited). */
@Injectable()
export class UsersService {
  constructor(
    private readonly db: Repositories,
    private readonly audit: AuditService,
  ) {}

  async experts(): Promise<ExpertDto[]> {
    const rows = await this.db.users.experts();
    return rows.map((r) => ({ id: r.id, displayName: r.display_name }));
  }

  async list(): Promise<UserDto[]> {
    return (await this.db.users.accounts()).map(toDto);
  }

  async create(dto: CreateUserDto, user: AuthUser, meta: RequestMeta): Promise<UserDto> {
    const problem = passwordProblem(dto.password, dto.username);
    if (problem) throw unprocessable('WEAK_PASSWORD', problem, 'password');
    let cityCode = dto.cityCode ?? null;
    const countyCode = dto.countyCode ?? null;
    if (dto.role === 'APPLICANT' && !dto.orgId) throw unprocessable('INVALID_INPUT', '申报单位账号须指定所属单位', 'orgId');
    if (dto.role === 'COUNTY_REVIEWER') {
      cityCode = countyCode ? cityOfCounty(countyCode) : null;
      if (!cityCode) throw unprocessable('INVALID_INPUT', '县级审核账号须指定本省的县（市、区）', 'countyCode');
    }
    if ((dto.role === 'CITY_IT' || dto.role === 'CITY_FINANCE') && findRegion(cityCode ?? '')?.level !== 'CITY') {
      throw unprocessable('INVALID_INPUT', '市级账号须指定本省的市', 'cityCode');
    }
    if (await this.db.users.usernameTaken(dto.username)) throw conflict('USERNAME_TAKEN', '用户名已存在', 'username');
    const row = await this.db.users.create({
      username: dto.username,
      displayName: dto.displayName,
      passwordHash: await hashPassword(dto.password),
      role: dto.role,
      orgId: dto.role === 'APPLICANT' ? (dto.orgId ?? null) : null,
      cityCode,
      countyCode,
    });
    await this.audit.record(user, meta, 'ADMIN.USER_CREATE', 'SUCCESS', dto.username, { role: dto.role });
    return toDto(row);
  }

  async update(userId: string, dto: UpdateUserDto, user: AuthUser, meta: RequestMeta): Promise<UserDto> {
    const target = await this.db.users.account(userId);
    if (!target) throw notFound('账号');
    if (dto.password !== undefined) {
      const problem = passwordProblem(dto.password, target.username);
      if (problem) throw unprocessable('WEAK_PASSWORD', problem, 'password');
      await this.db.users.setPassword(userId, await hashPassword(dto.password), false);
      await this.db.sessions.revokeAll(userId);
    }
    if (dto.unlock) await this.db.users.unlock(userId);
    if (dto.disabled !== undefined) {
      await this.db.users.setDisabled(userId, dto.disabled);
      if (dto.disabled) await this.db.sessions.revokeAll(userId);
    }
    await this.audit.record(user, meta, 'ADMIN.USER_UPDATE', 'SUCCESS', target.username, {
      disabled: dto.disabled ?? null,
      unlock: dto.unlock ?? false,
      passwordReset: dto.password !== undefined,
      reason: dto.reason,
    });
    return toDto((await this.db.users.account(userId))!);
  }
}
