import { Injectable } from '@nestjs/common';
import { isEmail } from 'class-validator';
import type { AccountRow, Repositories } from '@jiebang/db';
import { ROLE_LABELS, type StaffRole } from '@jiebang/domain';
import { cityOfCounty, CITIES, REGIONS, regionName } from '@jiebang/domain/reference/regions';
import { normaliseEmail } from '../../registration/registration.service';
import { UsersService } from '../../users/users.service';
import type { CellError, ImportColumn } from '../workbook-reader';
import { cellError, type ImportContext, type ImportKind, type ParsedRow, type RowPlan } from '../import-kind';
import { textCell } from './credit-code-cell';

const NAME: ImportColumn = { header: '姓名', key: 'name', hint: '账号使用人的姓名', width: 14 };
const ROLE: ImportColumn = { header: '角色', key: 'role', hint: '', width: 30 };
const REGION: ImportColumn = { header: '地区', key: 'region', hint: '县级：济南市历下区；市级：济南市；省级和专家：留空', width: 20, required: false };
const EMAIL: ImportColumn = { header: '邮箱', key: 'email', hint: '本人邮箱：激活链接发送至此，也是登录用户名', width: 28 };

/** The roles an imported list may create: staff who review (never ADMIN, SECURITY_ADMIN, AUDITOR or applicants). */
export const IMPORTABLE_ROLES = ['COUNTY_REVIEWER', 'CITY_IT', 'CITY_FINANCE', 'PROVINCE_IT', 'PROVINCE_FINANCE', 'EXPERT'] as const satisfies readonly StaffRole[];
type ImportableRole = (typeof IMPORTABLE_ROLES)[number];
ROLE.hint = `以下之一：${IMPORTABLE_ROLES.map((r) => ROLE_LABELS[r]).join('、')}`;

type Staff = { username: string; displayName: string; role: ImportableRole; email: string; cityCode: string | null; countyCode: string | null };

/** A county by its code or name: 济南市历下区, 济南市 历下区, or 历下区 when no other county has that name. */
function countyOf(text: string): string | null {
  const t = text.replace(/\s+/g, '');
  if (/^\d{6}$/.test(t)) return cityOfCounty(t) ? t : null;
  const counties = REGIONS.filter((r) => r.level === 'COUNTY');
  const full = counties.find((c) => `${regionName(c.parentCode)}${c.name}` === t);
  if (full) return full.code;
  const short = counties.filter((c) => c.name === t);
  return short.length === 1 ? short[0].code : null;
}

function cityOf(text: string): string | null {
  const t = text.replace(/\s+/g, '');
  return CITIES.find((c) => c.code === t || c.name === t)?.code ?? null;
}

/**
 * Staff accounts (县、市、省级工作人员和评审专家) from a list, made exactly as SECURITY_ADMIN's single
 * create makes them (UsersService.createIn): no password, the activation link mailed to the
 * owner's address, which is also the login name. An address that already has an account with the
 * same name, role and region is unchanged; one with another is refused (an import never changes
 * an account: that is done one by one, with a reason, on the accounts page).
 */
@Injectable()
export class StaffImport implements ImportKind<Staff> {
  readonly name = 'staff' as const;
  readonly label = '工作人员账号';
  readonly roles = ['SECURITY_ADMIN'] as const;
  readonly columns = [NAME, ROLE, REGION, EMAIL];
  readonly keyColumns = [EMAIL.header];
  readonly maxRows = 500;
  readonly perCampaign = false;
  readonly example = [
    { name: '王审核', role: ROLE_LABELS.COUNTY_REVIEWER, region: '济南市历下区', email: 'wang.shenhe@example.gov.cn' },
    { name: '李专家', role: ROLE_LABELS.EXPERT, region: '', email: 'li.zhuanjia@example.com' },
  ];

  constructor(private readonly users: UsersService) {}

  parse(v: Record<string, string>) {
    const errors: CellError[] = [];
    const displayName = textCell(NAME, v.name, 50, errors);
    const label = v.role.replace(/\s+/g, '');
    const role = IMPORTABLE_ROLES.find((r) => ROLE_LABELS[r] === label || r === label);
    if (!role) {
      const other = Object.entries(ROLE_LABELS).find(([, l]) => l === label);
      errors.push(
        cellError(ROLE, other ? `导入不能创建“${other[1]}”账号（系统管理员、安全管理员、审计管理员在账号管理中逐个创建，申报单位自行注册）` : `“角色”须为${ROLE.hint.replace('以下之一：', '')}之一，“${v.role}”不是`),
      );
    }
    let cityCode: string | null = null;
    let countyCode: string | null = null;
    if (role === 'COUNTY_REVIEWER') {
      countyCode = countyOf(v.region);
      if (!countyCode) errors.push(cellError(REGION, v.region ? `“地区”须为本省的县（市、区），如“济南市历下区”，“${v.region}”不是` : '县级账号须填写“地区”（如“济南市历下区”）'));
      else cityCode = cityOfCounty(countyCode);
    } else if (role === 'CITY_IT' || role === 'CITY_FINANCE') {
      cityCode = cityOf(v.region);
      if (!cityCode) errors.push(cellError(REGION, v.region ? `“地区”须为本省的市，如“济南市”，“${v.region}”不是` : '市级账号须填写“地区”（如“济南市”）'));
    } else if (role && v.region && !['全省', '山东省'].includes(v.region.replace(/\s+/g, ''))) {
      errors.push(cellError(REGION, `${ROLE_LABELS[role]}账号不指定地区，请将“地区”留空`));
    }
    const email = normaliseEmail(v.email);
    if (email.length > 254 || !isEmail(email)) errors.push(cellError(EMAIL, `“邮箱”须为有效的邮箱地址，“${v.email}”不是`));
    if (errors.length) return { errors };
    return { key: email, value: { username: email, displayName, role: role!, email, cityCode, countyCode } };
  }

  private describe(a: { displayName: string; role: string; cityCode: string | null; countyCode: string | null }): string {
    const region = a.countyCode ? `${regionName(a.cityCode)}${regionName(a.countyCode)}` : a.cityCode ? regionName(a.cityCode) : '';
    return [a.displayName, ROLE_LABELS[a.role as StaffRole] ?? a.role, region].filter(Boolean).join('，');
  }

  async plan(tx: Repositories, rows: ReadonlyArray<ParsedRow<Staff>>): Promise<RowPlan[]> {
    const existing = new Map<string, AccountRow>((await tx.users.accountsByUsernames(rows.map((r) => r.value.username))).map((a) => [a.username, a]));
    return rows.map(({ value }) => {
      const after = this.describe(value);
      const a = existing.get(value.username);
      if (!a) return { result: 'CREATE', before: null, after };
      const before = this.describe({ displayName: a.display_name, role: a.role, cityCode: a.city_code, countyCode: a.county_code });
      if (a.display_name === value.displayName && a.role === value.role && a.city_code === value.cityCode && a.county_code === value.countyCode) return { result: 'UNCHANGED', before, after };
      return { result: 'ERROR', before, after, errors: [cellError(EMAIL, `该邮箱已有账号（${before}），导入不修改已有账号；如需调整请在“账号管理”中办理`)] };
    });
  }

  async apply(tx: Repositories, rows: ReadonlyArray<{ parsed: ParsedRow<Staff> }>, ctx: ImportContext): Promise<void> {
    for (const { parsed } of rows) await this.users.createIn(tx, parsed.value, ctx.user, ctx.meta);
  }
}
