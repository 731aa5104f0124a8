import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import { totpRequired, withCheckChar, ZONE, type ApplicantType, type Role } from '@jiebang/domain';
import { CITIES } from '@jiebang/domain/reference/regions';
import type { KeyRing, KeySet } from '@jiebang/crypto';
import { keysOf, openField, sealField, usernameIndex } from '@jiebang/db';
import { DEMO_PASSWORD, hashPassword, newTotpSecret, openTotpSecret, sealTotpSecret } from '@jiebang/runtime';

/** The demo password of every demo account (meets the password policy; refused in production). */
export { DEMO_PASSWORD };

/** The demo city and county: 济南市 历下区. */
export const DEMO_CITY = '370100';
export const DEMO_COUNTY = '370102';
export const OTHER_CITY = '370200'; // 青岛市
export const OTHER_COUNTY = '370202'; // 市南区

export const REAL_CAMPAIGN_ID = '2026';
export const PRACTICE_CAMPAIGN_ID = '2026P';

interface DemoOrg {
  key: string;
  name: string;
  creditBody: string;
  type: ApplicantType;
  central?: boolean;
  provincial?: boolean;
  subsidiary?: boolean;
  parentName?: string;
  group?: string;
  county: string;
}

export const DEMO_ORGS: DemoOrg[] = [
  { key: 'provider', name: '济南示例数字科技有限公司（演示）', creditBody: '91370102MA3CJB001', type: 'SERVICE_PROVIDER', county: DEMO_COUNTY },
  { key: 'maker', name: '济南示例精密制造有限公司（演示）', creditBody: '91370102MA3CJB002', type: 'MANUFACTURER', county: DEMO_COUNTY, group: '示例装备集团（演示）' },
  {
    key: 'soe',
    name: '山东示例能源股份有限公司济南分公司（演示）',
    creditBody: '91370102MA3CJB003',
    type: 'MANUFACTURER',
    provincial: true,
    subsidiary: true,
    parentName: '山东示例能源集团有限公司（演示）',
    county: DEMO_COUNTY,
  },
  { key: 'central', name: '中示例通信济南分公司（演示）', creditBody: '91370102MA3CJB004', type: 'SERVICE_PROVIDER', central: true, county: DEMO_COUNTY },
  { key: 'maker2', name: '济南示例机床有限公司（演示）', creditBody: '91370102MA3CJB005', type: 'MANUFACTURER', county: DEMO_COUNTY, group: '示例装备集团（演示）' },
  { key: 'qingdao', name: '青岛示例智能装备有限公司（演示）', creditBody: '91370202MA3CJB006', type: 'MANUFACTURER', county: OTHER_COUNTY },
];

interface DemoUser {
  username: string;
  displayName: string;
  role: Role;
  org?: string;
  city?: string;
  county?: string;
  /** The head of their office (科室负责人): reassigns its applications. */
  officeHead?: boolean;
}

export const DEMO_USERS: DemoUser[] = [
  { username: 'applicant', displayName: '张申报（服务商）', role: 'APPLICANT', org: 'provider' },
  { username: 'applicant2', displayName: '李申报（制造业企业）', role: 'APPLICANT', org: 'maker' },
  { username: 'applicant3', displayName: '王申报（省属国企）', role: 'APPLICANT', org: 'soe' },
  { username: 'applicant-qd', displayName: '赵申报（青岛）', role: 'APPLICANT', org: 'qingdao' },
  { username: 'county', displayName: '历下区工信局审核员', role: 'COUNTY_REVIEWER', county: DEMO_COUNTY, city: DEMO_CITY, officeHead: true },
  { username: 'county2', displayName: '历下区工信局复核员', role: 'COUNTY_REVIEWER', county: DEMO_COUNTY, city: DEMO_CITY },
  { username: 'county-qd', displayName: '市南区工信局审核员', role: 'COUNTY_REVIEWER', county: OTHER_COUNTY, city: OTHER_CITY },
  { username: 'city-it', displayName: '济南市工信局', role: 'CITY_IT', city: DEMO_CITY },
  { username: 'city-finance', displayName: '济南市财政局', role: 'CITY_FINANCE', city: DEMO_CITY },
  { username: 'city-it-qd', displayName: '青岛市工信局', role: 'CITY_IT', city: OTHER_CITY },
  { username: 'province', displayName: '省工信厅工业互联网处', role: 'PROVINCE_IT' },
  { username: 'province-finance', displayName: '省财政厅工商贸易处', role: 'PROVINCE_FINANCE' },
  { username: 'expert1', displayName: '评审专家一', role: 'EXPERT' },
  { username: 'expert2', displayName: '评审专家二', role: 'EXPERT' },
  { username: 'admin', displayName: '系统管理员', role: 'ADMIN' },
  { username: 'security-admin', displayName: '安全管理员', role: 'SECURITY_ADMIN' },
  { username: 'auditor', displayName: '审计管理员', role: 'AUDITOR' },
];

/** Example recommendation quotas (附件5 is set by ADMIN each year). */
export function exampleQuota(cityCode: string): number {
  return cityCode === DEMO_CITY || cityCode === '370200' ? 20 : 10;
}

/** 17:00 Asia/Shanghai, `days` after `now`. */
export function practiceShutdown(now: number, days = 30): number {
  return DateTime.fromMillis(now, { zone: ZONE }).plus({ days }).set({ hour: 17, minute: 0, second: 0, millisecond: 0 }).toMillis();
}

export interface SeedResult {
  seeded: boolean;
  campaigns: string[];
}

/**
 * The demo accounts whose role needs TOTP get a secret enrolled (SM4-encrypted with `fieldKeys`), so the
 * local demo stays walkable: `npm start` prints each secret, `npm run totp -- <login>` the current code.
 * Without the keys they enrol at their first login like any other account.
 */
export async function enrolDemoTotp(ds: DataSource, fieldKeys: KeyRing): Promise<void> {
  const rows: Array<{ id: string; username: string; role: string }> = await ds.query(
    `select id, username, role from users where is_demo and totp_secret is null`,
  );
  for (const r of rows.filter((x) => totpRequired(x.role))) {
    await ds.query(`update users set totp_secret = $2, totp_enabled = true where id = $1 and totp_secret is null`, [r.id, sealTotpSecret(fieldKeys, r.id, newTotpSecret())]);
  }
}

/** The demo accounts' TOTP secrets in clear (development only: printed by `npm start`). */
export async function demoTotpSecrets(ds: DataSource, fieldKeys: KeyRing): Promise<Map<string, string>> {
  const rows: Array<{ id: string; username: string; totp_secret: string }> = await ds.query(
    `select id, username, totp_secret from users where is_demo and totp_enabled and totp_secret is not null`,
  );
  const demo = new Set(DEMO_USERS.map((u) => u.username));
  return new Map(
    rows
      .map((r) => [openField(fieldKeys, 'users', 'username', r.id, r.username)!, openTotpSecret(fieldKeys, r.id, r.totp_secret)] as const)
      .filter(([username]) => demo.has(username)),
  );
}

/**
 * Demo data, once: the real 2026 campaign with the notice's deadlines, a clearly labelled
 * practice campaign with the same rules and a shutdown 30 days after seeding, example city
 * quotas, one demo user per role in one demo city and county, demo organisations of each type.
 * With `fieldKeys`, the privileged demo accounts get their TOTP secret (enrolDemoTotp). The accounts'
 * login and display names are sealed like every account's (with `keys`, else the pool's, keysOf).
 */
export async function seedDemoData(ds: DataSource, opts: { now?: number; production?: boolean; fieldKeys?: KeyRing; keys?: KeySet } = {}): Promise<SeedResult> {
  if (opts.production) throw new Error('demo data is never seeded in production');
  const now = opts.now ?? Date.now();
  const existing: unknown[] = await ds.query(`select 1 from campaigns where id = $1`, [PRACTICE_CAMPAIGN_ID]);
  if (existing.length > 0) {
    if (opts.fieldKeys) await enrolDemoTotp(ds, opts.fieldKeys);
    return { seeded: false, campaigns: [REAL_CAMPAIGN_ID, PRACTICE_CAMPAIGN_ID] };
  }
  const hash = await hashPassword(DEMO_PASSWORD);
  await ds.transaction(async (m) => {
    const shutdown2026 = DateTime.fromISO('2026-04-13T17:00:00', { zone: ZONE }).toJSDate();
    const paper2026 = DateTime.fromISO('2026-04-13T23:59:59', { zone: ZONE }).toJSDate();
    const practice = practiceShutdown(now);
    await m.query(
      `insert into campaigns (id, name, year, is_practice, shutdown_at, paper_deadline_at) values
         ($1, '2026年度“工赋百景”制造业数字化转型揭榜挂帅', 2026, false, $2, $3),
         ($4, '【练习批次】2026年度揭榜挂帅申报演练（非正式申报）', 2026, true, $5, $6)
       on conflict (id) do nothing`,
      [REAL_CAMPAIGN_ID, shutdown2026, paper2026, PRACTICE_CAMPAIGN_ID, new Date(practice), new Date(practice + 7 * 3_600_000)],
    );
    for (const campaign of [REAL_CAMPAIGN_ID, PRACTICE_CAMPAIGN_ID]) {
      for (const city of CITIES) {
        await m.query(`insert into city_quotas (campaign_id, city_code, quota) values ($1,$2,$3) on conflict do nothing`, [
          campaign,
          city.code,
          exampleQuota(city.code),
        ]);
      }
    }
    const groups = new Map<string, string>();
    for (const name of new Set(DEMO_ORGS.map((o) => o.group).filter((g): g is string => !!g))) {
      const [row]: Array<{ id: string }> = await m.query(
        `insert into org_groups (name) values ($1) on conflict (name) do update set name = excluded.name returning id`,
        [name],
      );
      groups.set(name, row.id);
    }
    const orgIds = new Map<string, string>();
    for (const o of DEMO_ORGS) {
      const city = `${o.county.slice(0, 4)}00`;
      const [row]: Array<{ id: string }> = await m.query(
        `insert into organisations (credit_code, name, applicant_type, is_central_soe, is_provincial_soe, is_subsidiary, parent_name, group_id, city_code, county_code)
         values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
         on conflict (credit_code) do update set name = excluded.name returning id`,
        [withCheckChar(o.creditBody), o.name, o.type, !!o.central, !!o.provincial, !!o.subsidiary, o.parentName ?? null, o.group ? groups.get(o.group) : null, city, o.county],
      );
      orgIds.set(o.key, row.id);
    }
    // The provider has one 2025 pilot: it counts against its 2026 limit of three.
    await m.query(
      `insert into prior_pilots (credit_code, org_name, batch, project_name) values ($1,$2,'2025-2','2025年第二批试点：示例工业互联网平台（演示）')`,
      [withCheckChar(DEMO_ORGS[0].creditBody), DEMO_ORGS[0].name],
    );
    const keys = opts.keys ?? keysOf(ds);
    for (const u of DEMO_USERS) {
      const id = randomUUID();
      const seal = (column: string, value: string) => sealField(keys.ring('field'), 'users', column, id, value);
      await m.query(
        `insert into users (id, username, username_bidx, display_name, password_hash, role, org_id, city_code, county_code, is_demo, activated_at, office_head)
         values ($1,$2,$3,$4,$5,$6,$7,$8,$9,true,now(),$10) on conflict (username_bidx) do nothing`,
        [id, seal('username', u.username), usernameIndex(keys).compute(u.username), seal('display_name', u.displayName), hash, u.role, u.org ? orgIds.get(u.org) : null, u.city ?? null, u.county ?? null, u.officeHead ?? false],
      );
    }
  });
  if (opts.fieldKeys) await enrolDemoTotp(ds, opts.fieldKeys);
  return { seeded: true, campaigns: [REAL_CAMPAIGN_ID, PRACTICE_CAMPAIGN_ID] };
}
