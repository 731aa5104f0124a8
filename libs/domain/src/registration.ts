/**
 * Registration of an applicant organisation (注册): the credit code's checks with a Chinese reason
 * for each, how an existing contact is shown masked, and the organisation's verification states
 * (实名核验 by the county of registration). Pure: the region lookups are in
 * './reference/regions' (proposeRegistrationRegion), kept out of the workflow bundle.
 */
import { creditCodeCheckChar } from './credit-code';

const CODE_CHARS = /^[0-9A-HJ-NPQRTUWXY]+$/;

/**
 * Why a 统一社会信用代码 is not acceptable, in Chinese for the person who typed it, or null when it
 * is well formed with a correct check character (GB 32100-2015). Lower-case letters and spaces are
 * the caller's to normalise first (normaliseCreditCode).
 */
export function creditCodeProblem(code: string): string | null {
  if (code.length === 0) return '请填写统一社会信用代码';
  if (code.length !== 18) return `统一社会信用代码应为18位，当前为${code.length}位`;
  if (!CODE_CHARS.test(code)) return '统一社会信用代码只能由数字和大写英文字母组成（不含I、O、S、V、Z）';
  const expected = creditCodeCheckChar(code.slice(0, 17));
  if (expected !== code[17]) return '统一社会信用代码校验位（第18位）不正确，请核对营业执照后重新填写';
  return null;
}

/** Upper case, no blanks (full-width characters folded): how people type a code from a licence. */
export function normaliseCreditCode(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/** Characters 3–8: the registration authority's division code (登记管理机关行政区划码). */
export function divisionCodeOf(code: string): string {
  return code.slice(2, 8);
}

/** A person's name as shown to someone who may not see it: 张三 → 张*, 欧阳娜娜 → 欧***. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** A mobile number masked in the usual way: 13800000000 → 138****0000. */
export function maskMobile(mobile: string): string {
  const d = mobile.replace(/\D/g, '');
  if (d.length < 7) return '*'.repeat(d.length);
  return `${d.slice(0, 3)}${'*'.repeat(d.length - 7)}${d.slice(-4)}`;
}

/** Mainland mobile numbers: 11 digits starting with 1. */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;

/** Where an organisation stands with the county (实名核验). */
export const ORGANISATION_STATUSES = ['PENDING', 'VERIFIED', 'REJECTED'] as const;
export type OrganisationStatus = (typeof ORGANISATION_STATUSES)[number];
export const ORGANISATION_STATUS_LABELS: Record<OrganisationStatus, string> = {
  PENDING: '待县级核验',
  VERIFIED: '已核验',
  REJECTED: '核验未通过',
};

/** The entries of an organisation's history of verification. */
export const ORGANISATION_HISTORY_ACTIONS = ['REGISTERED', 'RESENT', 'CHANGED', 'VERIFIED', 'REJECTED'] as const;
export type OrganisationHistoryAction = (typeof ORGANISATION_HISTORY_ACTIONS)[number];
export const ORGANISATION_HISTORY_LABELS: Record<OrganisationHistoryAction, string> = {
  REGISTERED: '注册并提交核验',
  RESENT: '修改后重新提交核验',
  CHANGED: '变更信息，提交县级重新核验',
  VERIFIED: '县级核验通过',
  REJECTED: '县级核验未通过',
};

/** Why an organisation may not submit yet, or null when it may (submission needs a verified organisation). */
export function submissionBlockedBy(status: OrganisationStatus): string | null {
  if (status === 'VERIFIED') return null;
  if (status === 'REJECTED') return '申报单位未通过县级实名核验，请按退回原因修改单位信息并重新提交核验后再提交申报';
  return '申报单位尚未通过所在县（市、区）的实名核验，核验通过后方可提交申报（可先保存草稿）';
}
