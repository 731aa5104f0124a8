import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Repositories, type AccountRow } from '@jiebang/db';
import { ApiConfig } from '@jiebang/runtime';
import { AccountLinks } from '../accounts/account-links.service';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { conflict, notFound } from '../common/errors';
import { throttle } from '../common/throttle';
import { FieldCrypto } from '../crypto/field-crypto';
import { normaliseEmail } from '../registration/registration.service';
import type { ColleagueDto, InviteColleagueDto } from './organisations.dto';

const emailTaken = () => conflict('EMAIL_TAKEN', '该邮箱已有系统账号，不能再次邀请；如是本单位同事，请其直接登录或在登录页使用“忘记密码”', 'email');

/**
 * An organisation's applicants invite colleagues (DESIGN: its contact person may invite
 * colleagues): the colleague gets an APPLICANT account of the same organisation, without a
 * password until its owner sets one through the one-time activation link mailed to the address
 * (AccountLinks, as every account). Throttled per inviting account; each invitation audited.
 */
@Injectable()
export class ColleaguesService {
  constructor(
    private readonly db: Repositories,
    private readonly cfg: ApiConfig,
    private readonly links: AccountLinks,
    private readonly crypto: FieldCrypto,
    private readonly audit: AuditService,
  ) {}

  private toDto(a: AccountRow, user: AuthUser): ColleagueDto {
    return {
      id: a.id,
      displayName: a.display_name,
      username: a.username,
      email: a.email ? this.crypto.open('users', 'email', a.id, a.email) : null,
      activated: a.activated_at !== null,
      disabled: a.disabled,
      createdAt: a.created_at.toISOString(),
      self: a.id === user.userId,
    };
  }

  async list(user: AuthUser): Promise<ColleagueDto[]> {
    if (!user.orgId) throw notFound('申报单位');
    return (await this.db.users.applicantsOfOrg(user.orgId)).map((a) => this.toDto(a, user));
  }

  async invite(user: AuthUser, dto: InviteColleagueDto, meta: RequestMeta): Promise<ColleagueDto> {
    const org = user.orgId ? await this.db.organisations.get(user.orgId) : null;
    if (!org) throw notFound('申报单位');
    await throttle(this.db, this.audit, meta, {
      bucket: 'colleague.invite',
      key: user.userId,
      limit: this.cfg.COLLEAGUE_INVITES_PER_HOUR,
      windowSeconds: 3600,
      field: 'email',
      what: '邀请同事过于频繁',
      event: 'ORGANISATION.COLLEAGUE_INVITE',
      who: user,
    });
    const email = normaliseEmail(dto.email);
    const name = dto.name.trim();
    if (await this.db.users.usernameTaken(email)) throw emailTaken();
    const id = randomUUID();
    const row = await this.db
      .transaction(async (tx) => {
        const created = await tx.users.create({
          id,
          username: email,
          displayName: name,
          role: 'APPLICANT',
          orgId: org.id,
          cityCode: org.city_code,
          countyCode: org.county_code,
          email: this.crypto.seal('users', 'email', id, email),
          emailBidx: this.crypto.emailIndex.compute(email),
          createdBy: user.userId,
        });
        await this.links.issue(
          tx,
          { id, username: email, displayName: name, role: 'APPLICANT', email },
          'ACTIVATION',
          user.userId,
          `${user.displayName}邀请您加入“${org.name}”的申报账号（登录用户名：${email}）。请点击下方链接，由您本人设置登录密码后即可登录，与同事一起填报。`,
        );
        await this.audit.recordIn(tx, user, meta, 'ORGANISATION.COLLEAGUE_INVITE', email, { invitedBy: user.username, creditCode: org.credit_code });
        return created;
      })
      .catch((err: unknown) => {
        // Two invitations of one address at once: the second meets the username's unique index.
        if ((err as { code?: string }).code === '23505') throw emailTaken();
        throw err;
      });
    return this.toDto(row, user);
  }
}
