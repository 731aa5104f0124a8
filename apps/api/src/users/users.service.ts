import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Repositories, type AccountRow } from '@jiebang/db';
import { isSeparatedRole, ROLE_LABELS, type Role, type StaffRole } from '@jiebang/domain';
import { cityOfCounty, findRegion } from '@jiebang/domain/reference/regions';
import { AccountLinks } from '../accounts/account-links.service';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { conflict, notFound, unprocessable } from '../common/errors';
import { iso } from '../common/time';
import { FieldCrypto } from '../crypto/field-crypto';
import type { CreateUserDto, ExpertDto, UpdateUserDto, UserDto } from './users.dto';

/**
 * Accounts, managed by SECURITY_ADMIN only (三员分立): staff accounts are created without a password
 * and activated by their owner through the mailed link; a reset mails the owner a link and the old
 * password stops working. Nobody but the owner ever sets or learns a password. Each change audited.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly db: Repositories,
    private readonly audit: AuditService,
    private readonly links: AccountLinks,
    private readonly crypto: FieldCrypto,
  ) {}

  /** An account as the account pages show it (its email opened). */
  toDto(r: AccountRow): UserDto {
    return {
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      role: r.role,
      orgId: r.org_id,
      cityCode: r.city_code,
      countyCode: r.county_code,
      email: r.email ? this.crypto.open('users', 'email', r.id, r.email) : null,
      activated: r.activated_at !== null,
      disabled: r.disabled,
      lockedUntil: iso(r.locked_until),
      totpEnabled: r.totp_enabled,
      lastLoginAt: iso(r.last_login_at),
    };
  }

  async experts(): Promise<ExpertDto[]> {
    const rows = await this.db.users.experts();
    return rows.map((r) => ({ id: r.id, displayName: r.display_name }));
  }

  async list(): Promise<UserDto[]> {
    return (await this.db.users.accounts()).map((r) => this.toDto(r));
  }

  /** The scope a staff role carries: a county (and its city), a city, or none (province, expert, operators). */
  private scopeOf(role: StaffRole, cityCode: string | null, countyCode: string | null): { cityCode: string | null; countyCode: string | null } {
    if (role === 'COUNTY_REVIEWER') {
      const city = countyCode ? cityOfCounty(countyCode) : null;
      if (!city) throw unprocessable('INVALID_INPUT', '县级审核账号须指定本省的县（市、区）', 'countyCode');
      return { cityCode: city, countyCode };
    }
    if (role === 'CITY_IT' || role === 'CITY_FINANCE') {
      if (findRegion(cityCode ?? '')?.level !== 'CITY') throw unprocessable('INVALID_INPUT', '市级账号须指定本省的市', 'cityCode');
      if (countyCode) throw unprocessable('INVALID_INPUT', '市级账号不指定县（市、区）', 'countyCode');
      return { cityCode, countyCode: null };
    }
    if (cityCode || countyCode) throw unprocessable('INVALID_INPUT', `${ROLE_LABELS[role]}账号不指定地区`, cityCode ? 'cityCode' : 'countyCode');
    return { cityCode: null, countyCode: null };
  }

  async create(dto: CreateUserDto, user: AuthUser, meta: RequestMeta): Promise<UserDto> {
    const scope = this.scopeOf(dto.role, dto.cityCode ?? null, dto.countyCode ?? null);
    if (await this.db.users.usernameTaken(dto.username)) throw conflict('USERNAME_TAKEN', '用户名已存在', 'username');
    // 三员分立: one person (by their address) never holds two of ADMIN, SECURITY_ADMIN and AUDITOR.
    if (isSeparatedRole(dto.role)) {
      const held = (await this.db.users.separatedRolesOf(this.crypto.emailIndex.candidates(dto.email))).filter((r) => r !== dto.role);
      if (held.length) {
        throw conflict('SEPARATED_DUTIES', `该邮箱的使用人已有${held.map((r) => ROLE_LABELS[r]).join('、')}账号；系统管理员、安全管理员、审计管理员不能由同一人兼任`, 'email');
      }
    }
    const row = await this.db.transaction((tx) => this.createIn(tx, { username: dto.username, displayName: dto.displayName, role: dto.role, email: dto.email, ...scope }, user, meta));
    return this.toDto(row);
  }

  /**
   * An account in the caller's transaction, as SECURITY_ADMIN creates one (singly or from an
   * imported list) and an applicant invites a colleague: no password, its email sealed, the
   * activation link mailed to its owner (with `intro` as the mail's first paragraph), audited as `event`.
   */
  async createIn(
    tx: Repositories,
    a: { username: string; displayName: string; role: Role; email: string; orgId?: string; cityCode: string | null; countyCode: string | null },
    user: AuthUser,
    meta: RequestMeta,
    how: { event: 'SECURITY.USER_CREATE' | 'ORGANISATION.COLLEAGUE_INVITE'; intro?: string; detail: Record<string, unknown> } = { event: 'SECURITY.USER_CREATE', detail: { role: a.role } },
  ): Promise<AccountRow> {
    const id = randomUUID();
    const created = await tx.users.create({
      id,
      username: a.username,
      displayName: a.displayName,
      role: a.role,
      orgId: a.orgId ?? null,
      cityCode: a.cityCode,
      countyCode: a.countyCode,
      email: this.crypto.seal('users', 'email', id, a.email),
      emailBidx: this.crypto.emailIndex.compute(a.email),
      createdBy: user.userId,
    });
    await this.links.issue(tx, { id, username: a.username, displayName: a.displayName, role: a.role, email: a.email }, 'ACTIVATION', user.userId, how.intro);
    await this.audit.recordIn(tx, user, meta, how.event, id, how.detail);
    return created;
  }

  async update(userId: string, dto: UpdateUserDto, user: AuthUser, meta: RequestMeta): Promise<UserDto> {
    const target = await this.db.users.account(userId);
    if (!target) throw notFound('账号');
    if (target.id === user.userId) throw unprocessable('OWN_ACCOUNT', '不能修改自己的账号；请由另一位安全管理员办理', 'userId');
    const needsMail = dto.resetPassword || dto.resendActivation;
    const email = needsMail ? (target.email ? this.crypto.open('users', 'email', target.id, target.email) : null) : null;
    if (needsMail && !email) throw unprocessable('NO_EMAIL', '该账号没有登记邮箱，无法发送链接', dto.resetPassword ? 'resetPassword' : 'resendActivation');
    if (dto.resendActivation && target.activated_at) throw unprocessable('ALREADY_ACTIVE', '该账号已激活；如需重新设置密码请使用“重置密码”', 'resendActivation');
    const recipient = { id: target.id, username: target.username, displayName: target.display_name, role: target.role, email: email ?? '' };
    await this.db.transaction(async (tx) => {
      if (dto.resetPassword) {
        await tx.users.clearPassword(userId);
        await tx.sessions.revokeAll(userId);
        await this.links.issue(tx, recipient, target.activated_at ? 'RESET' : 'ACTIVATION', user.userId);
      } else if (dto.resendActivation) {
        await this.links.issue(tx, recipient, 'ACTIVATION', user.userId);
      }
      if (dto.resetTotp) {
        await tx.users.resetTotp(userId);
        await tx.sessions.revokeAll(userId);
      }
      if (dto.unlock) await tx.users.unlock(userId);
      if (dto.disabled !== undefined) {
        await tx.users.setDisabled(userId, dto.disabled);
        if (dto.disabled) {
          await tx.sessions.revokeAll(userId);
          await tx.accountTokens.supersedeAll(userId);
        }
      }
      await this.audit.recordIn(tx, user, meta, 'SECURITY.USER_UPDATE', target.id, {
        disabled: dto.disabled ?? null,
        unlock: dto.unlock ?? false,
        passwordReset: dto.resetPassword ?? false,
        activationResent: dto.resendActivation ?? false,
        totpReset: dto.resetTotp ?? false,
        reason: dto.reason,
      });
    });
    return this.toDto((await this.db.users.account(userId))!);
  }
}
