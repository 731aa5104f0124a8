import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Repositories, type OrganisationClaim } from '@jiebang/db';
import {
  APPLICANT_TYPE_LABELS,
  creditCodeProblem,
  maskMobile,
  maskName,
  normaliseCreditCode,
  ORGANISATION_STATUS_LABELS,
} from '@jiebang/domain';
import { cityOfCounty, proposeRegistrationRegion, regionName, REGIONS } from '@jiebang/domain/reference/regions';
import { ApiConfig } from '@jiebang/runtime';
import { auditEntry, AuditService } from '../audit/audit.service';
import type { RequestMeta } from '../auth/auth.types';
import { AccountLinks } from '../accounts/account-links.service';
import { ApiError, badRequest, conflict, unprocessable } from '../common/errors';
import { throttle } from '../common/throttle';
import { FieldCrypto } from '../crypto/field-crypto';
import type { OrganisationClaimDto, RegionProposalDto, RegisterDto, RegistrationOptionsDto, RegistrationResultDto } from './registration.dto';

const HOUR = 3600;

/** An email as its owner's mail provider reads it (for the per-email counter and the username). */
export function normaliseEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

/** z***@example.com: enough for its owner to recognise, nothing for anyone else. */
export function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  return `${local.slice(0, 1)}***@${domain ?? ''}`;
}

/** A 统一社会信用代码 normalised and checked, or a 400 naming the field and the reason. */
export function checkedCreditCode(raw: string, field: string, label: string): string {
  const code = normaliseCreditCode(raw);
  const problem = creditCodeProblem(code);
  if (problem) throw badRequest('INVALID_CREDIT_CODE', problem.replace('统一社会信用代码', label), field);
  return code;
}

/**
 * What the applicant declares, checked across fields (the DTO checks each field alone): the
 * county within Shandong, the exemption claim, a subsidiary's parent, the group by its parent's
 * credit code. Refusals name the field by its label.
 */
export function checkedClaim(dto: OrganisationClaimDto, ownCreditCode: string): OrganisationClaim {
  const cityCode = cityOfCounty(dto.countyCode);
  if (!cityCode) throw unprocessable('OUTSIDE_PROVINCE', '注册所在县（市、区）须为山东省的县级行政区划，请从列表中选择', 'countyCode');
  if (dto.isCentralSoe && dto.isProvincialSoe) throw unprocessable('INVALID_INPUT', '不能同时声明为中央驻鲁企业和省属国企，请只选择一项', 'isProvincialSoe');
  if (dto.isSubsidiary && !dto.isCentralSoe && !dto.isProvincialSoe) {
    throw unprocessable('INVALID_INPUT', '“下属企业”指中央驻鲁企业或省属国企的下属企业：请先选择中央驻鲁企业或省属国企，或取消“下属企业”', 'isSubsidiary');
  }
  let parentCreditCode: string | null = null;
  if (dto.isSubsidiary) {
    if (!dto.parentName) throw unprocessable('INVALID_INPUT', '下属企业须填写上级企业名称', 'parentName');
    if (!dto.parentCreditCode) throw unprocessable('INVALID_INPUT', '下属企业须填写上级企业统一社会信用代码', 'parentCreditCode');
    parentCreditCode = checkedCreditCode(dto.parentCreditCode, 'parentCreditCode', '上级企业统一社会信用代码');
    if (parentCreditCode === ownCreditCode) throw unprocessable('INVALID_INPUT', '上级企业不能是本单位', 'parentCreditCode');
  } else if (dto.parentName !== undefined || dto.parentCreditCode !== undefined) {
    throw unprocessable('INVALID_INPUT', '只有下属企业填写上级企业，请勾选“下属企业”或清空上级企业信息', 'parentName');
  }
  let groupParentCreditCode: string | null = null;
  if (dto.groupParentCreditCode !== undefined) {
    groupParentCreditCode = checkedCreditCode(dto.groupParentCreditCode, 'groupParentCreditCode', '集团母公司统一社会信用代码');
    if (!dto.groupName) throw unprocessable('INVALID_INPUT', '填写所属集团时须填写集团名称', 'groupName');
  } else if (dto.groupName !== undefined) {
    throw unprocessable('INVALID_INPUT', '填写集团名称时须同时填写集团母公司统一社会信用代码', 'groupParentCreditCode');
  }
  return {
    name: dto.name.trim(),
    applicantType: dto.applicantType,
    buildsCarrier: dto.buildsCarrier,
    isCentralSoe: dto.isCentralSoe,
    isProvincialSoe: dto.isProvincialSoe,
    isSubsidiary: dto.isSubsidiary,
    parentName: dto.isSubsidiary ? dto.parentName!.trim() : null,
    parentCreditCode,
    groupParentCreditCode,
    groupName: dto.groupName?.trim() ?? null,
    cityCode,
    countyCode: dto.countyCode,
    address: dto.address?.trim() ?? null,
  };
}

/**
 * Public registration of an applicant organisation (no login): the credit code's checks and the
 * county it proposes, the organisation pending its county's verification, and its contact as the
 * first APPLICANT account, activated by its owner from a mail. Throttled per client address and
 * per email with counters in PostgreSQL.
 */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly db: Repositories,
    private readonly cfg: ApiConfig,
    private readonly links: AccountLinks,
    private readonly crypto: FieldCrypto,
    private readonly audit: AuditService,
  ) {}

  options(): RegistrationOptionsDto {
    return {
      regions: REGIONS.filter((r) => r.level !== 'PROVINCE').map((r) => ({ code: r.code, name: r.name, level: r.level as 'CITY' | 'COUNTY', parentCode: r.level === 'CITY' ? null : r.parentCode })),
      applicantTypes: { ...APPLICANT_TYPE_LABELS },
    };
  }

  /** The county a credit code proposes, or the reason it cannot be registered. */
  async proposal(raw: string, meta: RequestMeta): Promise<RegionProposalDto> {
    await this.throttleClient(meta);
    const creditCode = checkedCreditCode(raw, 'creditCode', '统一社会信用代码');
    const p = proposeRegistrationRegion(creditCode);
    if (p.refusal) throw unprocessable('OUTSIDE_PROVINCE', p.refusal, 'creditCode');
    const cityName = p.cityCode ? regionName(p.cityCode) : null;
    const countyName = p.countyCode ? regionName(p.countyCode) : null;
    const message = countyName
      ? `登记机关所在地为${cityName}${countyName}，请确认注册所在县（市、区），如不一致请更改`
      : cityName
        ? `登记机关为${cityName}一级，请选择注册所在县（市、区）`
        : '登记机关为省级，请选择注册所在市和县（市、区）';
    return { creditCode, divisionCode: p.divisionCode, cityCode: p.cityCode, cityName, countyCode: p.countyCode, countyName, message };
  }

  async register(dto: RegisterDto, meta: RequestMeta): Promise<RegistrationResultDto> {
    await this.throttleClient(meta);
    const email = normaliseEmail(dto.contactEmail);
    // Counted under the email's keyed blind index (users.email_bidx's), not an unkeyed digest anyone could recompute from a guess.
    await this.throttle('registration.email', this.crypto.emailIndex.compute(email), this.cfg.REGISTRATION_LIMIT_PER_EMAIL, meta, 'contactEmail', '该邮箱的注册请求过于频繁');
    const creditCode = checkedCreditCode(dto.creditCode, 'creditCode', '统一社会信用代码');
    const region = proposeRegistrationRegion(creditCode);
    if (region.refusal) throw unprocessable('OUTSIDE_PROVINCE', region.refusal, 'creditCode');
    const claim = checkedClaim(dto, creditCode);
    const contact = { name: dto.contactName.trim(), mobile: dto.contactMobile, email };

    const outcome = await this.db
      .transaction(async (tx) => {
        const orgId = await tx.organisations.register({ creditCode, claim, contact });
        if (!orgId) return null;
        if (await tx.users.usernameTaken(email)) throw emailTaken();
        // The contact's account, without a password until its owner activates it through the
        // one-time link mailed to them (AccountLinks, as for every account); its email SM4-sealed.
        const userId = randomUUID();
        await tx.users.create({
          id: userId,
          username: email,
          displayName: contact.name,
          role: 'APPLICANT',
          orgId,
          cityCode: claim.cityCode,
          countyCode: claim.countyCode,
          email: this.crypto.seal('users', 'email', userId, email),
          emailBidx: this.crypto.emailIndex.compute(email),
          createdBy: null,
        });
        await this.links.issue(
          tx,
          { id: userId, username: email, displayName: contact.name, role: 'APPLICANT', email },
          'ACTIVATION',
          null,
          `您已为“${claim.name}”注册申报单位账号（登录用户名：${email}）。请点击下方链接，由您本人设置登录密码，完成账号激活。`,
        );
        await tx.organisations.addHistory(orgId, { action: 'REGISTERED', actorId: userId, actorName: contact.name, claim });
        await tx.audit.append([auditEntry({ userId, username: email, role: 'APPLICANT' }, meta, 'REGISTRATION.SUBMIT', 'SUCCESS', orgId, { creditCode, countyCode: claim.countyCode })]);
        return orgId;
      })
      .catch((err: unknown) => {
        // Two registrations with one email at once: the second meets the username's unique index.
        if ((err as { code?: string; constraint?: string }).code === '23505' && /username/.test(String((err as { constraint?: string }).constraint))) throw emailTaken();
        throw err;
      });

    if (!outcome) {
      const existing = await this.db.organisations.byCreditCode(creditCode);
      const contactName = existing?.contact_name ? maskName(existing.contact_name) : null;
      const contactMobile = existing?.contact_mobile ? maskMobile(existing.contact_mobile) : null;
      await this.audit.record(null, meta, 'REGISTRATION.SUBMIT', 'REFUSED', existing?.id ?? null, { code: 'ALREADY_REGISTERED', creditCode });
      const whom = contactName ? `，现联系人为 ${contactName}（${contactMobile ?? '未登记手机号'}）。请联系该联系人在系统中邀请您加入本单位` : '。请联系本单位已有的申报账号在系统中邀请您加入';
      throw new ApiError(409, 'ALREADY_REGISTERED', `该统一社会信用代码已注册${whom}`, 'creditCode', {
        existingContact: { name: contactName, mobile: contactMobile },
      });
    }
    return {
      organisationId: outcome,
      creditCode,
      name: claim.name,
      status: 'PENDING',
      statusLabel: ORGANISATION_STATUS_LABELS.PENDING,
      countyName: `${regionName(claim.cityCode)}${regionName(claim.countyCode)}`,
      maskedEmail: maskEmail(email),
      message: `注册信息已提交。激活邮件已发送至 ${maskEmail(email)}，请在${this.cfg.ACTIVATION_LINK_HOURS}小时内点击邮件中的链接设置密码；${regionName(claim.countyCode)}工业和信息化主管部门核验通过后，即可提交申报（核验期间可先填写草稿）。`,
    };
  }

  /** Registration's endpoints per client address (every attempt counts, good or bad). */
  private throttleClient(meta: RequestMeta): Promise<void> {
    return this.throttle('registration.client', meta.ip ?? 'unknown', this.cfg.REGISTRATION_LIMIT_PER_CLIENT, meta, undefined, '您的网络地址提交注册请求过于频繁');
  }

  private throttle(bucket: string, key: string, limit: number, meta: RequestMeta, field: string | undefined, what: string): Promise<void> {
    return throttle(this.db, this.audit, meta, { bucket, key, limit, windowSeconds: HOUR, field, what, event: 'REGISTRATION.THROTTLED' });
  }
}

function emailTaken(): ApiError {
  return conflict('EMAIL_TAKEN', '该邮箱已是系统中另一个账号的登录名，请更换联系人邮箱', 'contactEmail');
}
