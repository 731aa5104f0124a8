import { Injectable } from '@nestjs/common';
import { Repositories } from '@jiebang/db';
import { ApiConfig } from '@jiebang/runtime';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { conflict, notFound } from '../common/errors';
import { throttle } from '../common/throttle';
import { normaliseEmail } from '../registration/registration.service';
import { UsersService } from '../users/users.service';
import type { OrganisationColleagueDto, InviteColleagueDto } from './organisations.dto';

/** What a colleague sees of an account: who, and whether it is activated (no scope, login or security details). */
const colleague = ({ id, username, displayName, email, activated, disabled }: OrganisationColleagueDto): OrganisationColleagueDto => ({ id, username, displayName, email, activated, disabled });

const emailTaken = () => conflict('EMAIL_TAKEN', '该邮箱已有系统账号，不能再次邀请；如是本单位同事，请其直接登录或在登录页使用“忘记密码”', 'email');

/**
 * An organisation's applicants invite colleagues (DESIGN: its contact person may invite
 * colleagues): the colleague gets an APPLICANT account of the same organisation, without a
 * password until its owner sets one through the one-time activation link mailed to the address
 * (UsersService.createIn → AccountLinks, as every account). Throttled per inviting account; audited.
 */
@Injectable()
export class ColleaguesService {
  constructor(
    private readonly db: Repositories,
    private readonly cfg: ApiConfig,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  private orgOf(user: AuthUser): string {
    if (!user.orgId) throw notFound('申报单位');
    return user.orgId;
  }

  async list(user: AuthUser): Promise<OrganisationColleagueDto[]> {
    return (await this.db.users.applicantsOfOrg(this.orgOf(user))).map((a) => colleague(this.users.toDto(a)));
  }

  async invite(user: AuthUser, dto: InviteColleagueDto, meta: RequestMeta): Promise<OrganisationColleagueDto> {
    const org = await this.db.organisations.get(this.orgOf(user));
    if (!org) throw notFound('申报单位');
    await throttle(this.db, this.audit, meta, { bucket: 'colleague.invite', key: user.userId, limit: this.cfg.COLLEAGUE_INVITES_PER_HOUR, windowSeconds: 3600, field: 'email', what: '邀请同事过于频繁', event: 'ORGANISATION.COLLEAGUE_INVITE', who: user });
    const email = normaliseEmail(dto.email);
    if (await this.db.users.usernameTaken(email)) throw emailTaken();
    const account = { username: email, displayName: dto.name.trim(), role: 'APPLICANT' as const, email, orgId: org.id, cityCode: org.city_code, countyCode: org.county_code };
    const intro = `${user.displayName}邀请您加入“${org.name}”的申报账号（登录用户名：${email}）。请点击下方链接，由您本人设置登录密码后即可登录，与同事一起填报。`;
    const row = await this.db
      .transaction((tx) => this.users.createIn(tx, account, user, meta, { event: 'ORGANISATION.COLLEAGUE_INVITE', intro, detail: { creditCode: org.credit_code } }))
      .catch((err: unknown) => {
        // Two invitations of one address at once: the second meets the username's unique index.
        if ((err as { code?: string }).code === '23505') throw emailTaken();
        throw err;
      });
    return colleague(this.users.toDto(row));
  }
}
