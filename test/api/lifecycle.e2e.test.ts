/**
 * HTTP end to end: the real API (supertest), the real worker, Temporal dev server and PostgreSQL.
 * One application from draft to accepted entirely over HTTP with the demo roles; a return and a
 * resubmission; an action after the shutdown refused with its code.
 */
import ExcelJS from 'exceljs';
import { ATTESTED, binary, PDF, PROJECT, UNIT, type Caller } from '../helpers/api';
import { eventually } from '../helpers/stack';
import { useApiStack } from '../helpers/use-stack';
import { formatShanghai } from '@jiebang/domain';

const { db, api } = useApiStack('api_lifecycle');
const CAMPAIGN = '2026P';

async function draft(applicant: Caller, taskCode = 'T3'): Promise<string> {
  const res = await applicant.post('/api/v1/applications', { campaignId: CAMPAIGN, taskCode, projectName: '智能排产示范项目', project: PROJECT, unit: UNIT });
  expect(res.status).toBe(201);
  expect(res.body.application.stage).toBe('DRAFT');
  return res.body.application.id as string;
}

async function upload(applicant: Caller, id: string, kind: string, name = `${kind}.pdf`) {
  const res = await applicant.post(`/api/v1/applications/${id}/files`).field('kind', kind).attach('file', PDF, name);
  expect(res.status).toBe(201);
  return res.body;
}

async function completeMaterials(applicant: Caller, id: string) {
  for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN']) await upload(applicant, id, kind, `${kind}-可行性.pdf`);
}

async function stageOf(caller: Caller, id: string): Promise<string> {
  const res = await caller.get(`/api/v1/applications/${id}`);
  return res.body.application.stage;
}

test('a return with its reason, and the resubmission', async () => {
  const applicant = await api.as('applicant2');
  const county = await api.as('county');
  const id = await draft(applicant, 'T2');
  await completeMaterials(applicant, id);
  expect((await applicant.act(id, 'submit', { attestations: ATTESTED })).status).toBe(200);
  const noReason = await county.act(id, 'countyReturn', {});
  expect(noReason.status).toBe(422);
  expect(noReason.body).toMatchObject({ code: 'REASON_REQUIRED', field: 'comment' });
  expect((await county.act(id, 'countyReturn', { comment: '请补充近三年财务数据' })).body.stage).toBe('RETURNED');
  const seen = await applicant.get(`/api/v1/applications/${id}`);
  expect(seen.body.application.lastReturnReason).toBe('请补充近三年财务数据');
  expect(seen.body.workflow.lastReturn).toMatchObject({ reason: '请补充近三年财务数据', byRole: 'COUNTY_REVIEWER' });
  expect(seen.body.editable).toBe(true);
  expect((await applicant.patch(`/api/v1/applications/${id}`, { unit: { revenueLastYear: 46000 } })).status).toBe(200);
  expect((await applicant.act(id, 'resubmit', { attestations: ATTESTED })).body.stage).toBe('COUNTY_REVIEW');
  expect((await county.act(id, 'countyApprove', {})).body.stage).toBe('CITY_REVIEW');
  const notes = await applicant.get('/api/v1/notifications');
  expect(notes.body.items.map((n: { message: string }) => n.message)).toContain('县级审核退回修改：请补充近三年财务数据');
});

test('one application from draft to accepted, entirely over HTTP with the demo roles', async () => {
  const applicant = await api.as('applicant');
  const county = await api.as('county');
  const cityIt = await api.as('city-it');
  const cityFinance = await api.as('city-finance');
  const province = await api.as('province');
  const provinceFinance = await api.as('province-finance');
  const expert1 = await api.as('expert1');
  const expert2 = await api.as('expert2');
  const auditor = await api.as('auditor');

  const id = await draft(applicant);
  const uploaded = await upload(applicant, id, 'FEASIBILITY_REPORT', '可行性报告.pdf');
  expect(uploaded).toMatchObject({ kind: 'FEASIBILITY_REPORT', filename: '可行性报告.pdf', mime: 'application/pdf', size: PDF.length });
  expect(uploaded.sha256).toMatch(/^[0-9a-f]{64}$/);

  // Missing materials are refused with the material named.
  const early = await applicant.act(id, 'submit', { attestations: ATTESTED });
  expect(early.status).toBe(422);
  expect(early.body).toMatchObject({ code: 'MATERIAL_MISSING', field: 'materials.SUPPORTING' });
  await upload(applicant, id, 'SUPPORTING');
  await upload(applicant, id, 'PAPER_SCAN');

  const detail = await applicant.get(`/api/v1/applications/${id}`);
  expect(detail.body.workflow.allowedActions).toEqual(['submit', 'changeTask']);
  expect(detail.body.materials).toEqual(expect.arrayContaining(['PROJECT_INFO', 'UNIT_INFO', 'FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN']));

  const submitted = await applicant.act(id, 'submit', { attestations: ATTESTED });
  expect(submitted.status).toBe(200);
  expect(submitted.body).toMatchObject({ applicationId: id, action: 'submit', stage: 'COUNTY_REVIEW', stageLabel: '县级审核', seq: 1 });
  expect((await county.get('/api/v1/applications?mine=true')).body.items.map((a: { id: string }) => a.id)).toContain(id);

  expect((await county.act(id, 'countyApprove', { comment: '材料齐全' })).body.stage).toBe('CITY_REVIEW');
  expect((await cityIt.act(id, 'cityOpinion', { decision: 'RECOMMEND', comment: '同意推荐' })).status).toBe(200);
  const usageBefore = await cityIt.get(`/api/v1/campaigns/${CAMPAIGN}/quotas/370100/usage`);
  expect(usageBefore.body).toMatchObject({ total: 20, reserved: 0, pending: 1 });
  expect((await cityFinance.act(id, 'cityFinanceConcurrence', { decision: 'CONCUR' })).body.stage).toBe('RECOMMENDED');
  const usage = await cityFinance.get(`/api/v1/campaigns/${CAMPAIGN}/quotas/370100/usage`);
  expect(usage.body).toMatchObject({ total: 20, reserved: 1, used: 0, pending: 0, remaining: 19 });

  // The city report: the joint recommendation document and 推荐汇总表.
  const report = await cityIt.post(`/api/v1/campaigns/${CAMPAIGN}/city-reports`).field('note', '济工信联〔2026〕1号').attach('file', PDF, '联合推荐文件.pdf');
  expect(report.status).toBe(201);
  const xlsx = await cityIt.get(`/api/v1/exports/recommendation-summary?campaignId=${CAMPAIGN}&cityCode=370100`).buffer(true).parse(binary);
  expect(xlsx.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
  const sheet = wb.getWorksheet('推荐汇总表')!;
  expect(sheet.getRow(2).values).toEqual(expect.arrayContaining(['序号', '项目名称', '申报单位', '统一社会信用代码', '是否占用推荐名额']));
  // The contact, SM4-sealed at rest, decrypted by the repository for the summary.
  expect(sheet.getRow(3).values).toEqual(expect.arrayContaining([1, id, '智能排产示范项目', '张工', '0531-88888888']));

  // The two forms of the notice, as xlsx and as a print view for the stamped paper set.
  const form = await applicant.get(`/api/v1/applications/${id}/exports/project-info`).buffer(true).parse(binary);
  expect(form.status).toBe(200);
  const formBook = new ExcelJS.Workbook();
  await formBook.xlsx.load(form.body as unknown as ArrayBuffer);
  const formSheet = formBook.getWorksheet('项目基本信息表')!;
  const formRows = formSheet.getSheetValues().filter(Boolean).map((r) => (Array.isArray(r) ? r.filter((v) => v !== undefined && v !== null) : []));
  expect(formRows).toEqual(expect.arrayContaining([['项目名称', '智能排产示范项目'], ['项目总投资（万元）', '1200'], ['联系电话', '0531-88888888']]));
  const print = await applicant.get(`/api/v1/applications/${id}/print/unit-info`);
  expect(print.status).toBe(200);
  expect(print.headers['content-type']).toContain('text/html');
  expect(print.text).toContain('申报单位信息表');
  expect(print.text).toContain('申报单位（盖章）');

  // Materials are frozen once recommended.
  const edit = await applicant.patch(`/api/v1/applications/${id}`, { projectName: '改名' });
  expect(edit.status).toBe(409);
  expect(edit.body.code).toBe('MATERIALS_FROZEN');

  // The province brings the shutdown forward to a few seconds from now: the recommendation passes on.
  const shutdownAt = new Date(Date.now() + 4_000);
  const move = await province.put(`/api/v1/campaigns/${CAMPAIGN}/shutdown`, { at: shutdownAt.toISOString(), reason: '演练：提前关闭' });
  expect(move.status).toBe(200);
  const job = await eventually('the fan-out to finish', async () => {
    const j = await province.get(`/api/v1/batches/${move.body.jobId}`);
    return j.body.status === 'DONE' ? j.body : null;
  });
  expect(job.total).toBeGreaterThanOrEqual(1);
  expect(job.done + job.skipped).toBe(job.total);
  await eventually('provincial review', async () => (await stageOf(province, id)) === 'PROVINCIAL_REVIEW', 20_000);

  expect((await province.act(id, 'paperReceived', {})).status).toBe(200);
  expect((await province.act(id, 'formalCheck', { decision: 'PASS' })).status).toBe(200);
  const experts = await province.get('/api/v1/experts');
  const ids = experts.body.map((e: { id: string }) => e.id);
  expect(ids).toEqual(expect.arrayContaining([expert1.userId, expert2.userId]));
  expect((await province.act(id, 'assignExperts', { expertIds: [expert1.userId, expert2.userId] })).status).toBe(200);
  expect((await expert1.get('/api/v1/applications?mine=true')).body.items.map((a: { id: string }) => a.id)).toEqual([id]);
  expect((await expert1.act(id, 'expertScore', { score: 88, comment: '方案可行' })).status).toBe(200);
  expect((await expert2.act(id, 'expertScore', { score: 92, comment: '示范性强' })).status).toBe(200);
  expect((await province.act(id, 'provinceSelection', { decision: 'SELECT', comment: '拟入围' })).status).toBe(200);
  expect((await provinceFinance.act(id, 'provinceFinanceConcurrence', { decision: 'CONCUR' })).status).toBe(200);
  const endsAt = new Date(Date.now() + 3_000).toISOString();
  const opened = await province.act(id, 'openPublicity', { endsAt });
  expect(opened.status).toBe(200);
  expect(opened.body.stage).toBe('PUBLICITY');
  expect(opened.body.deadlineAt).toMatch(/\+08:00$/);
  // Publicity is open: opening it again is refused.
  expect((await province.act(id, 'openPublicity', { endsAt })).body.code).toBe('WRONG_STAGE');
  await eventually('publication', async () => (await stageOf(applicant, id)) === 'IMPLEMENTATION', 20_000, 200);

  const archiveFile = await upload(applicant, id, 'ARCHIVE', '第一季度档案.pdf');
  expect((await applicant.act(id, 'uploadArchive', { fileId: archiveFile.id, title: '第一季度实施进展' })).status).toBe(200);
  expect((await applicant.act(id, 'requestEarlyAcceptance', { comment: '建设内容已全部完成' })).status).toBe(200);
  expect((await province.act(id, 'earlyAcceptanceDecision', { decision: 'APPROVE' })).body.stage).toBe('ACCEPTANCE');
  expect((await province.act(id, 'acceptanceResult', { decision: 'PASS', comment: '指标全部达成' })).status).toBe(200);
  const done = await provinceFinance.act(id, 'provinceFinanceConcurrence', { decision: 'CONCUR' });
  expect(done.body.stage).toBe('ACCEPTED');

  const timeline = await applicant.get(`/api/v1/applications/${id}/timeline`);
  expect(timeline.body.map((e: { action: string }) => e.action)).toEqual([
    'submit',
    'countyApprove',
    'cityOpinion',
    'cityFinanceConcurrence',
    'cutoff',
    'paperReceived',
    'formalCheck',
    'assignExperts',
    'expertScore',
    'expertScore',
    'provinceSelection',
    'provinceFinanceConcurrence',
    'openPublicity',
    'publish',
    'uploadArchive',
    'requestEarlyAcceptance',
    'earlyAcceptanceDecision',
    'acceptanceResult',
    'provinceFinanceConcurrence',
  ]);
  // Experts stay anonymous to the applicant.
  const scored = timeline.body.filter((e: { action: string }) => e.action === 'expertScore');
  expect(scored.every((e: { actorName: string | null; detail: unknown }) => e.actorName === null && e.detail === null)).toBe(true);

  const verify = await auditor.get('/api/v1/audit/verify');
  expect(verify.body).toMatchObject({ ok: true });
  expect(verify.body.checked).toBeGreaterThan(20);
});

test('an action after the shutdown is refused with its code', async () => {
  const applicant = await api.as('applicant3');
  const province = await api.as('province');
  // The practice campaign's shutdown has passed (the first test moved it); a new campaign here.
  await db.ds.query(
    `insert into campaigns (id, name, year, shutdown_at) values ('T9SHUT', '测试批次', 2026, now() + interval '3 seconds')`,
  );
  await db.ds.query(`insert into city_quotas (campaign_id, city_code, quota) values ('T9SHUT', '370100', 5)`);
  const res = await applicant.post('/api/v1/applications', { campaignId: 'T9SHUT', taskCode: 'T1', projectName: '迟到的项目', project: PROJECT, unit: UNIT });
  expect(res.status).toBe(201);
  const id = res.body.application.id;
  await eventually('the shutdown to pass', async () => Date.now() > new Date(res.body.application.deadlineAt).getTime() + 200, 10_000, 50);
  const late = await applicant.act(id, 'submit', { attestations: ATTESTED });
  expect(late.status).toBe(409);
  expect(late.body.code).toBe('AFTER_DEADLINE');
  expect(late.body.message).toContain('截止');
  const list = await applicant.get(`/api/v1/applications?campaignId=T9SHUT`);
  expect(list.body.items[0].stage).toBe('CLOSED_EXPIRED');
  // A move into the past is refused; so is moving a shutdown that has passed.
  const back = await province.put('/api/v1/campaigns/T9SHUT/shutdown', { at: '2020-01-01 17:00', reason: 'x' });
  expect(back.status).toBe(422);
  expect(back.body.code).toBe('INVALID_DEADLINE');
  const reopen = await province.put('/api/v1/campaigns/T9SHUT/shutdown', { at: formatShanghai(Date.now() + 86_400_000), reason: 'x' });
  expect(reopen.status).toBe(422);
  expect(reopen.body.message).toContain('已过');
  const creating = await applicant.post('/api/v1/applications', { campaignId: 'T9SHUT', taskCode: 'T1', projectName: '再来一个' });
  expect(creating.status).toBe(409);
  expect(creating.body.code).toBe('AFTER_DEADLINE');
});
