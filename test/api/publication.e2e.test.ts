/**
 * Publicity and results over HTTP on the real stack (issue 13): the public page, read without a
 * token, lists the applications under publicity (application, organisation, task, city; no
 * personal data) and, once published, the results — each also as xlsx; an objection recorded and
 * dismissed on the timeline; the task 9 winner in the reserve pool, listed and exported for the
 * province only.
 */
import ExcelJS from 'exceljs';
import type { CampaignDeadlines } from '@jiebang/domain';
import { binary } from '../helpers/api';
import { act, castFor, createApplication, seedCampaign, seedOrg, type TestApplication } from '../helpers/fixtures';
import { toRecommended, toSelected, waitStage } from '../helpers/scenarios';
import { eventually } from '../helpers/stack';
import { useApiStack } from '../helpers/use-stack';

const { db, api, env, worker } = useApiStack('api_publication');

let deadlines: CampaignDeadlines;
let winner: TestApplication;
let orgName: string;
let cast: Awaited<ReturnType<typeof castFor>>;

beforeAll(async () => {
  deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 10_000 });
  const org = await seedOrg(db.ds);
  cast = await castFor(db.ds, org);
  winner = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org, { taskCode: 'T9' });
  await toRecommended(winner.handle, cast);
  await waitStage(winner.handle, 'PROVINCIAL_REVIEW', 60_000);
  await toSelected(winner.handle, cast);
  [{ name: orgName }] = await db.ds.query('select name from organisations where id = $1', [org.id]);
});

async function xlsxRows(url: string): Promise<unknown[][]> {
  const x = await api.http.get(url).buffer(true).parse(binary);
  expect(x.status).toBe(200);
  expect(x.headers['content-type']).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(x.body as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const rows: unknown[][] = [];
  ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  return rows;
}

test('the public page without a token: the publicity list, an objection, then the published results; each as xlsx', async () => {
  const page = `/api/v1/public/campaigns/${deadlines.campaignId}`;
  const empty = await api.http.get(page);
  expect(empty.status).toBe(200);
  expect(empty.headers['content-type']).toContain('text/html');
  expect(empty.text).toContain('当前没有公示中的项目');

  const province = await api.as('province');
  const endsAt = Date.now() + 8_000;
  expect((await province.act(winner.id, 'openPublicity', { endsAt: new Date(endsAt).toISOString() })).status).toBe(200);
  await eventually('the publicity in the projection', async () => (await api.http.get(page)).text.includes(winner.id));
  const during = await api.http.get(page);
  expect(during.text).toContain(orgName);
  expect(during.text).toContain('9. 数字化转型公共服务载体赋能');
  expect(during.text).toContain('济南市');
  // Nothing personal: no contact person, phone or credit code.
  const [o] = await db.ds.query('select credit_code from organisations where name = $1', [orgName]);
  expect(during.text).not.toContain(o.credit_code.trim());
  // The style is allowed by its hash; there is no script.
  expect(during.headers['content-security-policy']).toContain("style-src 'self'");
  expect(during.text).not.toContain('<script');
  const publicity = await xlsxRows(`${page}/publicity/export`);
  expect(publicity[1]).toEqual(expect.arrayContaining(['申报编号', '项目名称', '申报单位', '榜单任务', '所在市', '公示截止时间']));
  expect(publicity[2].slice(0, 1)).toEqual([winner.id]);

  // An objection received by phone, recorded and dismissed: both on the timeline.
  const filed = await province.act(winner.id, 'fileObjection', { comment: '电话反映：申报材料数据存疑' });
  expect(filed.status).toBe(200);
  const objectionId = (await province.get(`/api/v1/applications/${winner.id}`)).body.workflow.objections[0].id;
  expect((await province.act(winner.id, 'resolveObjection', { objectionId, resolution: 'DISMISS', comment: '经核查不成立' })).status).toBe(200);

  await waitStage(winner.handle, 'IMPLEMENTATION', 60_000);
  await eventually('the results on the public page', async () => (await api.http.get(page)).text.includes('公布时间'));
  await eventually('the entry in the results', async () => {
    const t = (await api.http.get(page)).text;
    return t.includes('当前没有公示中的项目') && t.includes(winner.id);
  });
  const results = await xlsxRows(`${page}/results/export`);
  expect(results[2].slice(0, 1)).toEqual([winner.id]);
  expect((await api.http.get(`${page}/nothing/export`)).status).toBe(404);
  expect((await api.http.get('/api/v1/public/campaigns/NOPE')).status).toBe(404);
  const timeline = (await province.get(`/api/v1/applications/${winner.id}/timeline`)).body.map((e: { action: string }) => e.action);
  expect(timeline).toEqual(expect.arrayContaining(['openPublicity', 'fileObjection', 'resolveObjection', 'publish']));
});

test('the reserve pool lists the task 9 winner, for the province only, and exports', async () => {
  const province = await api.as('province');
  await eventually('the pool entry', async () => (await province.get(`/api/v1/campaigns/${deadlines.campaignId}/reserve-pool`)).body.length === 1, 30_000);
  const list = await province.get(`/api/v1/campaigns/${deadlines.campaignId}/reserve-pool`);
  expect(list.body[0]).toMatchObject({ applicationId: winner.id, orgName, taskName: '9. 数字化转型公共服务载体赋能', cityName: '济南市', stage: 'IMPLEMENTATION' });
  expect((await (await api.as('city-it')).get(`/api/v1/campaigns/${deadlines.campaignId}/reserve-pool`)).status).toBe(403);
  expect((await api.http.get(`/api/v1/campaigns/${deadlines.campaignId}/reserve-pool`)).status).toBe(401);
  const x = await province.get(`/api/v1/campaigns/${deadlines.campaignId}/reserve-pool/export`).buffer(true).parse(binary);
  expect(x.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(x.body as unknown as ArrayBuffer);
  expect((wb.worksheets[0].getRow(3).values as unknown[]).slice(1, 2)).toEqual([winner.id]);
});

test('passed acceptance is published on the same public page, and as xlsx', async () => {
  const page = `/api/v1/public/campaigns/${deadlines.campaignId}`;
  expect((await api.http.get(page)).text).toContain('尚无验收通过的项目');
  await act(winner.handle, 'requestEarlyAcceptance', cast.applicant, { comment: '建设内容已全部完成' });
  await act(winner.handle, 'earlyAcceptanceDecision', cast.province, { decision: 'APPROVE' });
  await act(winner.handle, 'acceptanceResult', cast.province, { decision: 'PASS', comment: '指标全部达成' });
  await act(winner.handle, 'provinceFinanceConcurrence', cast.provinceFinance, { decision: 'CONCUR' });
  await waitStage(winner.handle, 'ACCEPTED', 30_000);
  await eventually('the accepted entry on the page', async () => !(await api.http.get(page)).text.includes('尚无验收通过的项目'));
  const accepted = await xlsxRows(`${page}/accepted/export`);
  expect(accepted[1]).toEqual(expect.arrayContaining(['验收通过时间']));
  expect(accepted[2].slice(0, 1)).toEqual([winner.id]);
});
