import { Injectable } from '@nestjs/common';
import { Repositories, type OrganisationClaim, type OrganisationRow } from '@jiebang/db';
import {
  APPLICANT_TYPE_LABELS,
  ORGANISATION_HISTORY_LABELS,
  ORGANISATION_STATUS_LABELS,
  submissionBlockedBy,
} from '@jiebang/domain';
import { regionName } from '@jiebang/domain/reference/regions';
import { renderMail } from '@jiebang/mail';
import { auditEntry, AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { conflict, forbidden, notFound, unprocessable } from '../common/errors';
import { iso } from '../common/time';
import { checkedClaim } from '../registration/registration.service';
import type { OrganisationClaimDto } from '../registration/registration.dto';
import type { OrganisationClaimViewDto, OrganisationDto, PendingOrganisationsDto } from './organisations.dto';

/** The verified values of an organisation, as a claim (to compare a change with, and to show). */
export function verifiedClaim(o: OrganisationRow): OrganisationClaim {
  return {
    name: o.name,
    applicantType: o.applicant_type,
    buildsCarrier: o.builds_carrier,
    isCentralSoe: o.is_central_soe,
    isProvincialSoe: o.is_provincial_soe,
    isSubsidiary: o.is_subsidiary,
    parentName: o.parent_name,
    parentCreditCode: o.parent_credit_code,
    groupParentCreditCode: o.group_parent_credit_code,
    groupName: o.group_name,
    cityCode: o.city_code,
    countyCode: o.county_code,
    address: o.address,
  };
}

function claimView(c: OrganisationClaim): OrganisationClaimViewDto {
  return {
    ...c,
    applicantTypeLabel: APPLICANT_TYPE_LABELS[c.applicantType],
    cityName: regionName(c.cityCode),
    countyName: regionName(c.countyCode),
  };
}

const sameClaim = (a: OrganisationClaim, b: OrganisationClaim) => (Object.keys(a) as Array<keyof OrganisationClaim>).every((k) => (a[k] ?? null) === (b[k] ?? null));

/**
 * Verification of organisations by the county of registration (实名核验) and the applicant's side
 * of it: the county's inbox of pending organisations with its count, verify or reject with a
 * reason (audited, kept in the organisation's history, mailed to the contact), the applicant's
 * correction and re-sending, and a change after verification going through the county again.
 * Submission needs a verified organisation (submissionRefusal).
 */
@Injectable()
export class OrganisationsService {
  constructor(
    private readonly db: Repositories,
    private readonly audit: AuditService,
  ) {}

  async pending(user: AuthUser, page: number, pageSize: number): Promise<PendingOrganisationsDto> {
    const { rows, total } = await this.db.organisations.pendingInCounty(user.countyCode!, pageSize, (page - 1) * pageSize);
    return {
      total,
      items: rows.map((r) => ({
        id: r.id,
        creditCode: r.credit_code,
        name: r.claim.name,
        applicantTypeLabel: APPLICANT_TYPE_LABELS[r.claim.applicantType],
        isChange: r.verified_at !== null,
        claimsExemption: r.claim.isCentralSoe || r.claim.isProvincialSoe,
        submittedAt: iso(r.updated_at)!,
      })),
    };
  }

  /** An organisation as the county of its registration (or of its claim) or its own applicants see it. */
  async get(id: string, user: AuthUser, meta: RequestMeta): Promise<OrganisationDto> {
    return this.view(await this.scoped(id, user, meta));
  }

  async mine(user: AuthUser): Promise<OrganisationDto> {
    const org = user.orgId ? await this.db.organisations.get(user.orgId) : null;
    if (!org) throw notFound('申报单位');
    return this.view(org);
  }

  async verify(id: string, seenVersion: string | undefined, user: AuthUser, meta: RequestMeta): Promise<OrganisationDto> {
    await this.scoped(id, user, meta);
    await this.db.transaction(async (tx) => {
      const org = await this.decidable(tx, id, seenVersion, user);
      const claim = org.claim!;
      // A declared group, else the province's group registry (imported) for this credit code.
      const groupId = claim.groupParentCreditCode ? await tx.groups.ensure(claim.groupParentCreditCode, claim.groupName ?? `集团（${claim.groupParentCreditCode}）`) : await tx.groups.registryGroupOf(org.credit_code);
      await tx.organisations.verify(id, claim, groupId, user.userId);
      await tx.organisations.addHistory(id, { action: 'VERIFIED', actorId: user.userId, actorName: user.displayName, claim });
      await tx.audit.append([auditEntry(user, meta, 'ORGANISATION.VERIFY', 'SUCCESS', id, { creditCode: org.credit_code })]);
      await this.mailContact(tx, org, 'VERIFIED', null);
    });
    return this.get(id, user, meta);
  }

  async reject(id: string, reason: string, seenVersion: string | undefined, user: AuthUser, meta: RequestMeta): Promise<OrganisationDto> {
    await this.scoped(id, user, meta);
    const text = reason.trim();
    await this.db.transaction(async (tx) => {
      const org = await this.decidable(tx, id, seenVersion, user);
      await tx.organisations.reject(id, text);
      await tx.organisations.addHistory(id, { action: 'REJECTED', actorId: user.userId, actorName: user.displayName, reason: text, claim: org.claim });
      await tx.audit.append([auditEntry(user, meta, 'ORGANISATION.REJECT', 'SUCCESS', id, { creditCode: org.credit_code, reason: text })]);
      await this.mailContact(tx, org, 'REJECTED', text);
    });
    return this.get(id, user, meta);
  }

  /**
   * The applicant's correction (pending or rejected: sent again) or change (verified: the county
   * checks it again, the verified values stand meanwhile, and submitting waits for the decision).
   */
  async submitClaim(user: AuthUser, dto: OrganisationClaimDto, meta: RequestMeta): Promise<OrganisationDto> {
    if (!user.orgId) throw notFound('申报单位');
    const orgId = user.orgId;
    await this.db.transaction(async (tx) => {
      const org = await tx.organisations.lock(orgId);
      if (!org) throw notFound('申报单位');
      const claim = checkedClaim(dto, org.credit_code);
      const base = org.claim ?? verifiedClaim(org);
      if (sameClaim(claim, base) && org.status !== 'REJECTED') {
        throw unprocessable('NO_CHANGE', org.status === 'VERIFIED' ? '单位信息没有变化，无需提交核验' : '单位信息没有变化，正在等待县级核验', 'name');
      }
      const action = org.status === 'VERIFIED' ? 'CHANGED' : 'RESENT';
      await tx.organisations.submitClaim(orgId, claim);
      await tx.organisations.addHistory(orgId, { action, actorId: user.userId, actorName: user.displayName, claim });
      const changed = (Object.keys(claim) as Array<keyof OrganisationClaim>).filter((k) => (claim[k] ?? null) !== (verifiedClaim(org)[k] ?? null));
      await tx.audit.append([auditEntry(user, meta, action === 'CHANGED' ? 'ORGANISATION.CHANGE' : 'ORGANISATION.RESEND', 'SUCCESS', orgId, { changed })]);
    });
    return this.mine(user);
  }

  /** Why the organisation may not submit now (pending or rejected by its county), or null. */
  async submissionRefusal(orgId: string): Promise<string | null> {
    const org = await this.db.organisations.get(orgId);
    return org ? submissionBlockedBy(org.status) : null;
  }

  /** The organisation in the caller's scope, else 404 (and the attempt audited). */
  private async scoped(id: string, user: AuthUser, meta: RequestMeta): Promise<OrganisationRow> {
    const org = /^[0-9a-f-]{36}$/i.test(id) ? await this.db.organisations.get(id) : null;
    const ok =
      org !== null &&
      (user.role === 'APPLICANT' ? user.orgId === org.id : user.role === 'COUNTY_REVIEWER' ? org.county_code === user.countyCode || org.claim?.countyCode === user.countyCode : false);
    if (!ok) {
      if (org) await this.audit.record(user, meta, 'ACCESS.OUT_OF_SCOPE', 'DENIED', id, null);
      throw notFound('申报单位');
    }
    return org;
  }

  /** The organisation locked, pending this county's decision on the version the reviewer saw. */
  private async decidable(tx: Repositories, id: string, seenVersion: string | undefined, user: AuthUser): Promise<OrganisationRow> {
    const org = await tx.organisations.lock(id);
    if (!org) throw notFound('申报单位');
    if (org.status !== 'PENDING' || !org.claim) {
      throw conflict('WRONG_STATE', org.status === 'VERIFIED' ? '该单位已核验通过，无需重复核验' : '该单位已退回修改，等待单位修改后重新提交');
    }
    if (org.claim.countyCode !== user.countyCode) throw forbidden(`该单位申请的注册所在地为${regionName(org.claim.cityCode)}${regionName(org.claim.countyCode)}，由该地核验`);
    if (seenVersion !== undefined && seenVersion !== iso(org.updated_at)) throw conflict('STALE', '单位信息在您查看后已更新，请刷新后重新核验', 'seenVersion');
    return org;
  }

  private async mailContact(tx: Repositories, org: OrganisationRow, decision: 'VERIFIED' | 'REJECTED', reason: string | null): Promise<void> {
    if (!org.contact_email) return;
    const name = org.claim?.name ?? org.name;
    const county = regionName(org.claim?.countyCode ?? org.county_code);
    const history = await tx.organisations.history(org.id);
    const content =
      decision === 'VERIFIED'
        ? { subject: '【揭榜挂帅】申报单位信息已通过县级核验', paragraphs: [`${name}的单位信息已通过${county}工业和信息化主管部门核验，现在可以提交申报。`] }
        : { subject: '【揭榜挂帅】申报单位信息未通过县级核验', paragraphs: [`${name}的单位信息未通过${county}工业和信息化主管部门核验。`, `原因：${reason}`, '请登录系统，在“单位信息”中按原因修改后重新提交核验。'] };
    await tx.mailOutbox.enqueue({
      key: `organisation:${org.id}:${decision}:${history.length}`,
      category: decision === 'VERIFIED' ? 'ORGANISATION_VERIFIED' : 'ORGANISATION_REJECTED',
      to: org.contact_email,
      subject: content.subject,
      ...renderMail({ greeting: org.contact_name ? `${org.contact_name}，您好：` : undefined, paragraphs: content.paragraphs }),
    });
  }

  private async view(org: OrganisationRow): Promise<OrganisationDto> {
    const history = await this.db.organisations.history(org.id);
    return {
      id: org.id,
      creditCode: org.credit_code,
      status: org.status,
      statusLabel: ORGANISATION_STATUS_LABELS[org.status],
      verified: claimView(verifiedClaim(org)),
      claim: org.claim ? claimView(org.claim) : null,
      rejectionReason: org.rejection_reason,
      verifiedAt: iso(org.verified_at),
      // In scope only (its county verifies the person, its own applicants are the person's colleagues).
      contactName: org.contact_name ?? '',
      contactMobile: org.contact_mobile ?? '',
      history: history.map((h) => ({ id: h.id, action: h.action, actionLabel: ORGANISATION_HISTORY_LABELS[h.action], actorName: h.actor_name, reason: h.reason, occurredAt: iso(h.occurred_at)! })),
      version: iso(org.updated_at)!,
    };
  }
}
