/**
 * A campaign year without SQL (issue 12's acceptance): an enterprise registers and activates its
 * account through the mailed link, its county verifies it, the province creates the next campaign,
 * imports its city quotas (附件5) and the earlier years' pilots, opens it, and the enterprise's
 * application runs to RECOMMENDED — its pilot counted by the limits only where its year is configured.
 */
import ExcelJS from 'exceljs';
import { ATTESTED, binary, PDF, PROJECT, UNIT, type Caller } from '../helpers/api';
import { COUNTY, newCreditCode } from '../helpers/fixtures';
import { extractLink, useMailDelivery, testAddress, waitForMail } from '../helpers/mailbox';
import { useApiStack } from '../helpers/use-stack';
import { sheet } from '../helpers/xlsx';

const { api, db } = useApiStack('api_campaign_year');

useMailDelivery(db);

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

/** The template's headers, read from the template the API offers (not assumed). */
async function templateHeaders(province: Caller, kind: string): Promise<string[]> {
  const res = await province
    .get(`/api/v1/imports/${kind}/template`)
    .buffer(true)
    .parse(binary);
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body);
  return (wb.worksheets[0].getRow(1).values as string[]).slice(1);
}

async function imported(province: Caller, kind: string, query: string, rows: Array<Array<string | number>>) {
  const file = await sheet(await templateHeaders(province, kind), rows);
  const dry = await province.post(`/api/v1/imports/${kind}/dry-run${query}`).attach('file', file, `${kind}.xlsx`);
  expect(dry.status).toBe(200);
  expect(dry.body).toMatchObject({ applied: false, applicable: true, counts: { error: 0 } });
  const applied = await province.post(`/api/v1/imports/${kind}/apply${query}`).attach('file', file, `${kind}.xlsx`);
  expect(applied.status).toBe(200);
  expect(applied.body.applied).toBe(true);
  return applied.body;
}

async function submitted(me: Caller, campaignId: string) {
  const r = await me.post('/api/v1/applications', { campaignId, taskCode: 'T1', projectName: '新注册企业的5G工厂项目', project: PROJECT, unit: UNIT });
  expect(r.status).toBe(201);
  const id = r.body.application.id as string;
  for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN']) {
    expect((await me.post(`/api/v1/applications/${id}/files`).field('kind', kind).attach('file', PDF, `${kind}.pdf`)).status).toBe(201);
  }
  return { id, submit: await me.act(id, 'submit', { attestations: ATTESTED }) };
}

test('registration → county verification → the next campaign with imported quotas and pilots → one application RECOMMENDED; the pilot counts only where its year is configured', async () => {
  // 1. The enterprise registers (public), activates through the mailed link and logs in.
  const creditCode = newCreditCode(COUNTY);
  const email = testAddress('year');
  const reg = await api.http
    .post('/api/v1/registration')
    .set('X-Forwarded-For', '198.51.100.77')
    .send({
      creditCode,
      name: '济南新注册智能制造有限公司',
      applicantType: 'MANUFACTURER',
      buildsCarrier: false,
      isCentralSoe: false,
      isProvincialSoe: false,
      isSubsidiary: false,
      countyCode: COUNTY,
      contactName: '李四',
      contactMobile: '13900000001',
      contactEmail: email,
    });
  expect(reg.status).toBe(201);
  const mail = await waitForMail({ to: email, subject: '激活' });
  const token = new URL(extractLink(mail, '/activate')).searchParams.get('token')!;
  const password = 'Kaifa@2027-NewYear';
  expect((await api.http.post('/api/v1/auth/activate').set('X-Forwarded-For', '198.51.100.78').send({ token, password })).status).toBe(204);
  const me = await api.as(email, password);

  // 2. Its county verifies it.
  const county = await api.as('county');
  const orgId = reg.body.organisationId as string;
  const seen = (await county.get(`/api/v1/organisations/${orgId}`)).body;
  expect(seen.status).toBe('PENDING');
  expect((await county.post(`/api/v1/organisations/${orgId}/verify`, { seenVersion: seen.version })).body.status).toBe('VERIFIED');

  // 3. The province creates the next campaign (a copy of the last: it counts 2026's pilots) and a practice one counting 2025's.
  const province = await api.as('province');
  const next = await province.post('/api/v1/campaigns', { year: 2027, name: '2027年度“工赋百景”揭榜挂帅', shutdownAt: inDays(30), paperDeadlineAt: inDays(31) });
  expect(next.status).toBe(201);
  expect(next.body).toMatchObject({ id: '2027', pilotYears: [2026] });
  const practice = await province.post('/api/v1/campaigns', { year: 2027, isPractice: true, name: '【练习批次】2027年度申报演练', shutdownAt: inDays(30), pilotYears: [2025] });
  expect(practice.status).toBe(201);

  // 4. Its quotas and the earlier years' pilots come from xlsx files, not SQL.
  const quotas = await imported(province, 'quotas', '?campaignId=2027', [
    ['济南市', 2],
    ['青岛市', 4],
  ]);
  expect(quotas.counts).toMatchObject({ error: 0 });
  await imported(province, 'pilots', '', [[creditCode, '济南新注册智能制造有限公司', '2025年智能车间项目', 2025, '第一批']]);
  for (const id of ['2027', '2027P']) expect((await province.post(`/api/v1/campaigns/${id}/open`, {})).status).toBe(200);

  // 5. In 2027 the 2025 pilot does not count: the manufacturer's one place is free, and the application is recommended.
  const { id, submit } = await submitted(me, '2027');
  expect(submit.status).toBe(200);
  expect((await county.act(id, 'countyApprove', {})).body.stage).toBe('CITY_REVIEW');
  const cityIt = await api.as('city-it');
  expect((await cityIt.act(id, 'cityOpinion', { decision: 'RECOMMEND' })).status).toBe(200);
  expect((await (await api.as('city-finance')).act(id, 'cityFinanceConcurrence', { decision: 'CONCUR' })).body.stage).toBe('RECOMMENDED');
  // The imported 附件5 quota governs: 2 for 济南市, one now reserved.
  expect((await cityIt.get('/api/v1/campaigns/2027/quotas/370100/usage')).body).toMatchObject({ total: 2, reserved: 1, remaining: 1 });

  // 6. The practice campaign counts 2025's pilots: there the imported pilot takes the place.
  const refused = (await submitted(me, '2027P')).submit;
  expect(refused.status).toBe(409);
  expect(refused.body).toMatchObject({ code: 'LIMIT_REACHED' });
  expect(refused.body.message).toContain('含2025年试点项目1个');
});
