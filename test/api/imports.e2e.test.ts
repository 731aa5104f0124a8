/**
 * Imports (xlsx) on the real stack, one framework for four kinds: city quotas of a campaign,
 * earlier years' pilots, the group registry and staff accounts. Each: the template, a dry run
 * with every row's result, an all-or-nothing apply audited with counts and before/after, and a
 * second import of the same file that changes nothing. Bad files — not an xlsx, other headers, a
 * formula where a value belongs, a duplicate key, more rows than allowed, a zip bomb — are
 * refused with a 4xx and nothing is applied. The staff accounts are activated by their owners
 * through the mailed link, as SECURITY_ADMIN's single create does it.
 */
import ExcelJS from 'exceljs';
import { unzipSync, zipSync } from 'fflate';
import { binary, type Caller } from '../helpers/api';
import { newCreditCode, COUNTY } from '../helpers/fixtures';
import { extractLink, useMailDelivery, testAddress, waitForMail } from '../helpers/mailbox';
import { useApiStack } from '../helpers/use-stack';
import { sheet } from '../helpers/xlsx';
import { Repositories } from '@jiebang/db';
import { byLogin } from '../helpers/stack';

const { api, db } = useApiStack('api_imports');

useMailDelivery(db);

const CAMPAIGN = '2026P';
type Cell = string | number | ExcelJS.CellValue;

const HEADERS = {
  quotas: ['市', '推荐名额'],
  pilots: ['统一社会信用代码', '单位名称', '项目名称', '年度', '批次'],
  groups: ['集团名称', '母公司统一社会信用代码', '成员单位统一社会信用代码'],
  staff: ['姓名', '角色', '地区', '邮箱'],
} as const;
type Kind = keyof typeof HEADERS;

function send(caller: Caller, kind: Kind, step: 'dry-run' | 'apply', file: Buffer, name = '名单.xlsx') {
  const q = kind === 'quotas' ? `?campaignId=${CAMPAIGN}` : '';
  return caller.post(`/api/v1/imports/${kind}/${step}${q}`).attach('file', file, name);
}

async function appliedAudits(): Promise<number> {
  const [{ n }] = await db.ds.query(`select count(*)::int as n from audit_log where event_type = 'IMPORT.APPLY' and outcome = 'SUCCESS'`);
  return n;
}

/** Dry run, apply, the audit's counts and before/after, then the same file again: nothing changes. */
async function importTwice(caller: Caller, kind: Kind, file: Buffer, expected: { create: number; update: number; unchanged: number }) {
  const dry = await send(caller, kind, 'dry-run', file);
  expect(dry.status).toBe(200);
  expect(dry.body).toMatchObject({ applied: false, applicable: true, counts: { ...expected, error: 0 } });
  const first = await send(caller, kind, 'apply', file);
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ applied: true, counts: expected });
  const [audit] = await db.ds.query(`select detail from audit_log where event_type = 'IMPORT.APPLY' and outcome = 'SUCCESS' order by id desc limit 1`);
  expect(audit.detail).toMatchObject({ created: expected.create, updated: expected.update, unchanged: expected.unchanged });
  expect(audit.detail.changes).toHaveLength(expected.create + expected.update);
  const again = await send(caller, kind, 'apply', file);
  expect(again.status).toBe(200);
  expect(again.body.counts).toMatchObject({ create: 0, update: 0, unchanged: expected.create + expected.update + expected.unchanged, error: 0 });
  expect(again.body.rows.every((r: { result: string }) => r.result === 'UNCHANGED')).toBe(true);
  return first.body;
}

describe('imports', () => {
  it('offers each role its kinds and a template with the Chinese headers', async () => {
    const province = await api.as('province');
    expect((await province.get('/api/v1/imports')).body.map((k: { kind: string }) => k.kind)).toEqual(['quotas', 'pilots', 'groups']);
    const security = await api.as('security-admin');
    expect((await security.get('/api/v1/imports')).body.map((k: { kind: string }) => k.kind)).toEqual(['staff']);
    expect((await security.get('/api/v1/imports/pilots/template')).status).toBe(403);
    expect((await (await api.as('applicant')).get('/api/v1/imports')).status).toBe(403);

    const res = await province.get('/api/v1/imports/pilots/template').buffer(true).parse(binary);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body);
    expect((wb.worksheets[0].getRow(1).values as unknown[]).slice(1)).toEqual([...HEADERS.pilots]);
  });

  it('city quotas: dry run, apply within one campaign, idempotent; a bad cell named by its column', async () => {
    const province = await api.as('province');
    const [jinan] = await db.ds.query(`select quota from city_quotas where campaign_id = $1 and city_code = '370100'`, [CAMPAIGN]);
    const file = await sheet([...HEADERS.quotas], [['济南市', jinan.quota], ['青岛市', 31], ['370300', 7]]);
    const body = await importTwice(province, 'quotas', file, { create: 0, update: 2, unchanged: 1 });
    expect(body.rows[1]).toMatchObject({ row: 3, result: 'UPDATE', after: '31' });
    const rows = await db.ds.query(`select city_code, quota from city_quotas where campaign_id = $1 and city_code in ('370200','370300') order by city_code`, [CAMPAIGN]);
    expect(rows).toEqual([{ city_code: '370200', quota: 31 }, { city_code: '370300', quota: 7 }]);
    // The other campaign keeps its quotas.
    const [other] = await db.ds.query(`select quota from city_quotas where campaign_id = '2026' and city_code = '370200'`);
    expect(other.quota).not.toBe(31);

    const bad = await send(province, 'quotas', 'dry-run', await sheet([...HEADERS.quotas], [['北京市', 3], ['淄博市', -1], ['烟台市', '2.5']]));
    expect(bad.status).toBe(200);
    expect(bad.body).toMatchObject({ applicable: false, counts: { error: 3 } });
    expect(bad.body.rows.map((r: { errors: Array<{ column: string }> }) => r.errors[0].column)).toEqual(['市', '推荐名额', '推荐名额']);
    expect(bad.body.rows[0].errors[0].message).toMatch(/“市”须为本省的市/);
  });

  it('pilots of earlier years: stored with their year and batch, idempotent, a corrected name is an update', async () => {
    const province = await api.as('province');
    const a = newCreditCode(COUNTY);
    const b = newCreditCode('370202');
    const file = await sheet([...HEADERS.pilots], [[a, '甲科技有限公司', '甲工业互联网平台', 2024, '第一批'], [b, '乙制造有限公司', '乙5G工厂', '2025', '2'], [a, '甲科技有限公司', '甲数字车间', 2025, '第二批']]);
    await importTwice(province, 'pilots', file, { create: 3, update: 0, unchanged: 0 });
    const rows = await db.ds.query(`select credit_code, batch, year as pilot_year from prior_pilots where credit_code in ($1,$2) order by batch, credit_code`, [a, b]);
    expect(rows).toEqual([
      { credit_code: a, batch: '2024-1', pilot_year: 2024 },
      { credit_code: a, batch: '2025-2', pilot_year: 2025 },
      { credit_code: b, batch: '2025-2', pilot_year: 2025 },
    ].sort((x, y) => x.batch.localeCompare(y.batch) || x.credit_code.localeCompare(y.credit_code)));
    const renamed = await send(province, 'pilots', 'apply', await sheet([...HEADERS.pilots], [[a, '甲科技股份有限公司', '甲工业互联网平台', 2024, '1']]));
    expect(renamed.body.counts).toMatchObject({ update: 1 });
    expect(renamed.body.rows[0]).toMatchObject({ before: '单位名称：甲科技有限公司', after: '单位名称：甲科技股份有限公司' });
  });

  it('the group registry: members join their group (registered ones at once, later ones when verified), the limits count their pilots; idempotent', async () => {
    const province = await api.as('province');
    const parent = newCreditCode(COUNTY);
    const registered = newCreditCode(COUNTY);
    const unregistered = newCreditCode(COUNTY);
    const [org] = await db.ds.query(
      `insert into organisations (credit_code, name, applicant_type, city_code, county_code) values ($1, '集团成员甲', 'MANUFACTURER', '370100', $2) returning id`,
      [registered, COUNTY],
    );
    const file = await sheet([...HEADERS.groups], [['示例导入集团', parent, registered], ['示例导入集团', parent, unregistered]]);
    await importTwice(province, 'groups', file, { create: 2, update: 0, unchanged: 0 });
    const [g] = await db.ds.query(`select id, name from org_groups where parent_credit_code = $1`, [parent]);
    expect(g.name).toBe('示例导入集团');
    const [o] = await db.ds.query('select group_id from organisations where id = $1', [org.id]);
    expect(o.group_id).toBe(g.id);
    const members = await db.ds.query('select credit_code from org_group_members where group_id = $1 order by credit_code', [g.id]);
    expect(members.map((m: { credit_code: string }) => m.credit_code).sort()).toEqual([registered, unregistered].sort());

    // The limits count the earlier pilots of every registry member, registered or not.
    await db.ds.query(`insert into prior_pilots (credit_code, org_name, batch, project_name) values ($1, '未注册的成员', '2025-1', '成员的试点项目')`, [unregistered]);
    const counts = await new Repositories(db.ds).slots.counts({ campaignId: CAMPAIGN, orgId: org.id, applicationId: 'none', creditCode: registered, groupId: g.id });
    expect(counts).toMatchObject({ org_pilot_years: [], group_pilot_years: [2025] });
    // The unregistered member registers without declaring a group: verified, it takes the registry's.
    const reg = await api.http.post('/api/v1/registration').set('X-Forwarded-For', '198.51.100.77').send({
      creditCode: unregistered, name: '后注册的集团成员', applicantType: 'MANUFACTURER', buildsCarrier: false, isCentralSoe: false, isProvincialSoe: false, isSubsidiary: false,
      countyCode: COUNTY, contactName: '周五', contactMobile: '13800001234', contactEmail: testAddress('imp-member'),
    });
    expect(reg.status).toBe(201);
    expect((await (await api.as('county')).post(`/api/v1/organisations/${reg.body.organisationId}/verify`, {})).status).toBe(200);
    const [joined] = await db.ds.query('select group_id from organisations where id = $1', [reg.body.organisationId]);
    expect(joined.group_id).toBe(g.id);

    const mixed = await send(province, 'groups', 'dry-run', await sheet([...HEADERS.groups], [['示例导入集团', parent, newCreditCode()], ['另一个名字', parent, newCreditCode()]]));
    expect(mixed.body.rows[1].errors[0]).toMatchObject({ column: '集团名称' });
    expect(mixed.body.rows[1].errors[0].message).toMatch(/同一母公司的“集团名称”须一致/);
  });

  it('staff accounts: created without a password, activated by the owner from the mail; never ADMIN by import', async () => {
    const security = await api.as('security-admin');
    const county = testAddress('imp-county');
    const expert = testAddress('imp-expert');
    const file = await sheet([...HEADERS.staff], [['王审核', '县（市、区）工信部门', '济南市历下区', county], ['李专家', '评审专家', '', expert.toUpperCase()]]);
    const body = await importTwice(security, 'staff', file, { create: 2, update: 0, unchanged: 0 });
    expect(body.rows[0].after).toBe('王审核，县（市、区）工信部门，济南市历下区');
    const [u] = await db.ds.query(`select role, county_code, city_code, activated_at from users where ${byLogin(county)}`);
    expect(u).toMatchObject({ role: 'COUNTY_REVIEWER', county_code: '370102', city_code: '370100', activated_at: null });
    // One activation link (and its mail) each: the second import issued none.
    const [{ tokens }] = await db.ds.query(`select count(*)::int as tokens from account_tokens t join users u on u.id = t.user_id where ${byLogin(county, 'u')} or ${byLogin(expert.toLowerCase(), 'u')}`);
    expect(tokens).toBe(2);

    const mail = await waitForMail({ to: county, subject: '激活' }, 30_000);
    const token = new URL(extractLink(mail, '/activate')).searchParams.get('token')!;
    const password = 'Shenhe@2026-Imported';
    expect((await api.http.post('/api/v1/auth/activate').send({ token, password })).status).toBe(204);
    const me = await api.as(county, password);
    expect((await me.get('/api/v1/auth/me')).body).toMatchObject({ role: 'COUNTY_REVIEWER' });

    const refused = await send(security, 'staff', 'dry-run', await sheet([...HEADERS.staff], [['某管理员', '系统管理员', '', testAddress('imp-admin')], ['王审核', '市财政局', '济南市', county]]));
    expect(refused.body.rows[0].errors[0]).toMatchObject({ column: '角色' });
    expect(refused.body.rows[0].errors[0].message).toMatch(/导入不能创建“系统管理员”账号/);
    expect(refused.body.rows[1].errors[0].message).toMatch(/该邮箱已有账号/);
  });

  describe('bad files are refused and nothing is applied', () => {
    const BAD_PARENT = newCreditCode();
    const good: Record<Kind, () => Cell[]> = {
      quotas: () => ['淄博市', 5],
      pilots: () => [newCreditCode(), '丙公司', '丙项目', 2025, '第一批'],
      groups: () => ['坏文件集团', BAD_PARENT, newCreditCode()],
      staff: () => ['赵某', '评审专家', '', testAddress('imp-bad')],
    };
    const callerOf = (kind: Kind) => api.as(kind === 'staff' ? 'security-admin' : 'province');

    async function snapshot() {
      const [s] = await db.ds.query(`select
        (select coalesce(sum(quota), 0)::int from city_quotas where campaign_id = $1) as quotas,
        (select count(*)::int from prior_pilots) as pilots,
        (select count(*)::int from org_group_members) as members,
        (select count(*)::int from org_groups) as groups,
        (select count(*)::int from users) as users`, [CAMPAIGN]);
      return { ...s, audits: await appliedAudits() };
    }

    /** A valid template of the kind with a 40 MB entry of zeros added: a few kB compressed. */
    async function zipBomb(kind: Kind): Promise<Buffer> {
      const entries = unzipSync(new Uint8Array(await sheet([...HEADERS[kind]], [good[kind]()])));
      entries['xl/media/padding.bin'] = new Uint8Array(40 * 1024 * 1024);
      return Buffer.from(zipSync(entries, { level: 9 }));
    }

    it.each(Object.keys(HEADERS) as Kind[])('%s', async (kind) => {
      const caller = await callerOf(kind);
      const before = await snapshot();
      const headers = [...HEADERS[kind]];

      const text = await send(caller, kind, 'apply', Buffer.from('市,推荐名额\n济南市,3\n'), '名单.xlsx');
      expect(text.status).toBe(400);
      expect(text.body).toMatchObject({ code: 'NOT_XLSX', field: 'file' });

      const wrong = await send(caller, kind, 'apply', await sheet([...headers.slice(1), '备注'], [good[kind]()]));
      expect(wrong.status).toBe(422);
      expect(wrong.body.code).toBe('WRONG_HEADERS');
      expect(wrong.body.message).toContain(`缺少列“${headers[0]}”`);
      expect(wrong.body.message).toContain('有模板以外的列“备注”');

      const formulaRow = good[kind]();
      formulaRow[headers.length - 1] = { formula: 'LEFT("123",1)', result: '1' } as ExcelJS.CellFormulaValue;
      const formula = await sheet(headers, [good[kind](), formulaRow]);
      const dry = await send(caller, kind, 'dry-run', formula);
      expect(dry.status).toBe(200);
      expect(dry.body.rows[1]).toMatchObject({ result: 'ERROR', errors: [{ column: headers[headers.length - 1] }] });
      expect(dry.body.rows[1].errors[0].message).toMatch(/是公式，请改为直接填写的值/);
      const formulaApply = await send(caller, kind, 'apply', formula);
      expect(formulaApply.status).toBe(422);
      expect(formulaApply.body).toMatchObject({ code: 'IMPORT_HAS_ERRORS', field: 'file' });
      expect(formulaApply.body.message).toMatch(/未导入任何数据/);

      const row = good[kind]();
      const duplicate = await send(caller, kind, 'apply', await sheet(headers, [row, row]));
      expect(duplicate.status).toBe(422);
      expect(duplicate.body.report.rows[1].errors[0].message).toMatch(/与第2行重复/);

      const limit = (await caller.get('/api/v1/imports')).body.find((k: { kind: string }) => k.kind === kind).maxRows as number;
      const rows = kind === 'staff' ? 10_000 : limit + 1;
      const many = await send(caller, kind, 'apply', await sheet(headers, Array.from({ length: rows }, () => good[kind]())));
      expect(many.status).toBe(413);
      expect(many.body).toMatchObject({ code: 'TOO_MANY_ROWS', message: `文件有 ${rows} 行数据，超过每次导入的上限 ${limit} 行，请分批导入` });

      const bomb = await send(caller, kind, 'dry-run', await zipBomb(kind));
      expect(bomb.status).toBe(413);
      expect(bomb.body).toMatchObject({ code: 'FILE_TOO_LARGE', field: 'file' });

      expect(await snapshot()).toEqual(before);
      const [{ refused }] = await db.ds.query(`select count(*)::int as refused from audit_log where event_type = 'IMPORT.APPLY' and outcome = 'REFUSED'`);
      expect(refused).toBeGreaterThanOrEqual(5);
    });
  });
});
