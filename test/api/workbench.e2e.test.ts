/**
 * The reviewer's workbench through the API (issue 15): the views 待办 / 已办 / 我发起的 with their
 * counts, search by the applicant's name and credit code, sorting, and any list exported to xlsx
 * within the caller's scope.
 */
import ExcelJS from 'exceljs';
import { binary, submitted, type Caller } from '../helpers/api';
import { useApiStack } from '../helpers/use-stack';

const { api, db } = useApiStack('api_workbench');
const CAMPAIGN = '2026P';

let applicant: Caller;
let county: Caller;
let countyQd: Caller;
let county2: Caller;
let creditCode: string;
let orgName: string;
/** Submitted in this order: the first approved by the county, the other waiting for it. */
const ids: string[] = [];

const list = async (c: Caller, query: string) => {
  const r = await c.get(`/api/v1/applications?campaignId=${CAMPAIGN}&${query}`);
  expect([r.status, r.body.message]).toEqual([200, undefined]);
  return r.body as { items: Array<{ id: string; submittedAt: string }>; total: number };
};
const counts = async (c: Caller) => {
  const r = await c.get(`/api/v1/inbox/counts?campaignId=${CAMPAIGN}`);
  expect(r.status).toBe(200);
  return Object.fromEntries((r.body as Array<{ key: string; label: string; count: number }>).map((x) => [x.key, x])) as Record<string, { label: string; count: number }>;
};

beforeAll(async () => {
  // The service provider may apply three times, its 2025 pilot counting as one.
  applicant = await api.as('applicant');
  county = await api.as('county');
  countyQd = await api.as('county-qd');
  county2 = await api.as('county2');
  for (const n of ['工作台测试：甲项目', '工作台测试：乙项目']) ids.push(await submitted(applicant, CAMPAIGN, n));
  expect((await county.act(ids[0], 'countyApprove', {})).status).toBe(200);
  [{ credit_code: creditCode, name: orgName }] = await db.ds.query(
    `select o.credit_code, o.name from organisations o join applications a on a.org_id = o.id where a.id = $1`,
    [ids[0]],
  );
});

test('待办, 已办 and 我发起的: what waits for me, what I acted on, what my organisation started; with counts', async () => {
  const todo = await list(county, 'view=todo&pageSize=200');
  const done = await list(county, 'view=done&pageSize=200');
  expect(ids.filter((id) => todo.items.some((i) => i.id === id))).toEqual([ids[1]]);
  expect(done.items.map((i) => i.id)).toEqual([ids[0]]);
  // mine=true is the same view as todo.
  expect((await list(county, 'mine=true&pageSize=200')).total).toBe(todo.total);
  const c = await counts(county);
  expect([c.mine.label, c.mine.count, c.done.label, c.done.count]).toEqual(['待办', todo.total, '已办', 1]);
  expect(c.started).toBeUndefined();

  // The applicant: all of their applications under 我发起的; 已办 is what they submitted themselves.
  const started = await list(applicant, 'view=started&pageSize=200');
  expect(ids.every((id) => started.items.some((i) => i.id === id))).toBe(true);
  const a = await counts(applicant);
  expect([a.started.label, a.started.count]).toEqual(['我发起的', started.total]);
  expect(a.done.count).toBeGreaterThanOrEqual(2);

  // Another county sees none of them, in any view.
  for (const view of ['todo', 'done']) expect((await list(countyQd, `view=${view}&pageSize=200`)).items.filter((i) => ids.includes(i.id))).toEqual([]);

  const bad = await county.get(`/api/v1/applications?view=everything`);
  expect([bad.status, bad.body.message]).toEqual([400, '查看范围须为待办、已办或我发起的']);
});

test("search by the applicant's name and by its whole credit code (any case); a fragment of a code finds nothing", async () => {
  const byCode = await list(county, `q=${creditCode.toLowerCase()}&pageSize=200`);
  expect(ids.every((id) => byCode.items.some((i) => i.id === id))).toBe(true);
  const byName = await list(county, `q=${encodeURIComponent(orgName.slice(0, 4))}&pageSize=200`);
  expect(ids.every((id) => byName.items.some((i) => i.id === id))).toBe(true);
  expect((await list(county, `q=${creditCode.slice(2, 12)}`)).items.filter((i) => ids.includes(i.id))).toEqual([]);
  // Outside the caller's scope a search finds nothing.
  expect((await list(countyQd, `q=${creditCode}`)).total).toBe(0);
});

test('sorting by submission, both ways; an unknown order is refused by label', async () => {
  const asc = (await list(county, `q=${creditCode}&sort=submitted&order=asc`)).items.map((i) => i.id);
  const desc = (await list(county, `q=${creditCode}&sort=submitted&order=desc`)).items.map((i) => i.id);
  expect(asc.filter((id) => ids.includes(id))).toEqual(ids);
  expect(desc.filter((id) => ids.includes(id))).toEqual([...ids].reverse());
  const bad = await county.get('/api/v1/applications?sort=name');
  expect([bad.status, bad.body.message]).toEqual([400, '排序方式须为截止时间、提交时间、进入环节时间、更新时间或创建时间']);
});

test('a list exported to xlsx: the same rows as the list, in its order, within scope, with Chinese headers', async () => {
  const res = await county.get(`/api/v1/exports/applications?campaignId=${CAMPAIGN}&q=${creditCode}&sort=submitted&order=asc`).buffer(true).parse(binary);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('申报列表')!;
  const header = (ws.getRow(2).values as unknown[]).slice(1);
  expect(header).toEqual(expect.arrayContaining(['申报编号', '项目名称', '申报单位', '统一社会信用代码', '当前环节', '截止时间']));
  const col = (name: string) => header.indexOf(name) + 1;
  const rows = [];
  for (let r = 3; r <= ws.rowCount; r++) rows.push({ id: ws.getRow(r).getCell(col('申报编号')).value, code: ws.getRow(r).getCell(col('统一社会信用代码')).value, stage: ws.getRow(r).getCell(col('当前环节')).value });
  expect(rows.map((r) => r.id)).toEqual(ids);
  expect(rows.every((r) => r.code === creditCode)).toBe(true);
  expect(rows[0].stage).toBe('市级审核推荐');
  // The export is audited; another county's export of the same search is empty.
  const [{ n }] = await db.ds.query(`select count(*)::int as n from audit_log where event_type = 'EXPORT.LIST' and user_id = $1`, [county.userId]);
  expect(n).toBe(1);
  const other = await countyQd.get(`/api/v1/exports/applications?q=${creditCode}`).buffer(true).parse(binary);
  const wb2 = new ExcelJS.Workbook();
  await wb2.xlsx.load(other.body as unknown as ArrayBuffer);
  expect(wb2.getWorksheet('申报列表')!.rowCount).toBe(2);
});

describe('claim, release, transfer with a reason, and the office head reassigns', () => {
  let id: string;
  beforeAll(() => {
    id = ids[1];
  });
  const assignment = async (c: Caller) => (await c.get(`/api/v1/applications/${id}/assignee`)).body as {
    assigneeName: string | null; canClaim: boolean; canRelease: boolean; canTransfer: boolean; canReassign: boolean; history: Array<{ kindLabel: string; fromName: string | null; toName: string | null; reason: string | null }>;
  };

  test('a claim holds it for one reviewer; a colleague cannot take it; it shows in the lists', async () => {
    expect((await assignment(county2)).canClaim).toBe(true);
    const claimed = await county2.post(`/api/v1/applications/${id}/assignee/claim`);
    expect([claimed.status, claimed.body.assigneeName, claimed.body.canTransfer]).toEqual([200, '历下区工信局复核员', true]);
    // Claiming again changes nothing; a colleague is told who holds it.
    expect((await county2.post(`/api/v1/applications/${id}/assignee/claim`)).status).toBe(200);
    const taken = await county.post(`/api/v1/applications/${id}/assignee/claim`);
    expect([taken.status, taken.body.message]).toEqual([409, '该申报已由历下区工信局复核员认领']);
    const mine = await list(county2, 'view=todo&assignee=me');
    expect(mine.items.map((i) => i.id)).toEqual([id]);
    expect((await list(county, 'view=todo&assignee=unassigned')).items.some((i) => i.id === id)).toBe(false);
    const row = (await list(county, `q=${id}`)).items[0] as unknown as { assigneeName: string };
    expect(row.assigneeName).toBe('历下区工信局复核员');
    // A reviewer of another county cannot see it at all; an applicant has no office.
    expect((await countyQd.post(`/api/v1/applications/${id}/assignee/claim`)).status).toBe(404);
    expect((await applicant.post(`/api/v1/applications/${id}/assignee/claim`)).status).toBe(403);
  });

  test('a transfer needs a reason and a colleague; it moves the application and is in its history and the audit', async () => {
    const noReason = await county2.post(`/api/v1/applications/${id}/assignee/transfer`, { toUserId: county.userId, reason: '   ' });
    expect([noReason.status, noReason.body.message]).toEqual([400, '原因不能为空白']);
    const stranger = await county2.post(`/api/v1/applications/${id}/assignee/transfer`, { toUserId: countyQd.userId, reason: '请协助' });
    expect([stranger.status, stranger.body.message, stranger.body.field]).toEqual([422, '转办对象须为本科室在岗的同事', 'toUserId']);
    // Only its holder transfers it.
    expect((await county.post(`/api/v1/applications/${id}/assignee/transfer`, { toUserId: county2.userId, reason: '请协助' })).status).toBe(403);
    const moved = await county2.post(`/api/v1/applications/${id}/assignee/transfer`, { toUserId: county.userId, reason: '本周出差，请代为审核' });
    expect([moved.status, moved.body.assigneeName]).toEqual([200, '历下区工信局审核员']);
    const h = (await assignment(county)).history;
    expect(h.map((e) => [e.kindLabel, e.fromName, e.toName, e.reason])).toEqual([
      ['认领', null, '历下区工信局复核员', null],
      ['转办', '历下区工信局复核员', '历下区工信局审核员', '本周出差，请代为审核'],
    ]);
    const [audit] = await db.ds.query(`select detail from audit_log where event_type = 'WORKBENCH.TRANSFER' and target = $1`, [id]);
    expect(audit.detail).toEqual({ from: '历下区工信局复核员', to: '历下区工信局审核员', reason: '本周出差，请代为审核' });
  });

  test('the office head reassigns; a member may not; release gives it back to the office', async () => {
    expect((await assignment(county2)).canReassign).toBe(false);
    expect((await county2.post(`/api/v1/applications/${id}/assignee/reassign`, { toUserId: county2.userId, reason: '调整分工' })).status).toBe(403);
    const head = await county.post(`/api/v1/applications/${id}/assignee/reassign`, { toUserId: county2.userId, reason: '调整分工' });
    expect([head.status, head.body.assigneeName]).toEqual([200, '历下区工信局复核员']);
    // The head may also release it; then anyone of the office may claim it.
    const released = await county.post(`/api/v1/applications/${id}/assignee/release`);
    expect([released.status, released.body.assigneeName, released.body.canClaim]).toEqual([200, null, true]);
    expect((await assignment(county2)).history.map((e) => e.kindLabel)).toEqual(['认领', '转办', '改派', '释放']);
  });

  test('an application that does not wait for the office cannot be claimed', async () => {
    const r = await county.post(`/api/v1/applications/${ids[0]}/assignee/claim`);
    expect([r.status, r.body.message]).toEqual([409, '该申报当前不在本科室待办中，不能认领']);
  });
});

test('saved filters: per person, named, replaced by name, refused when malformed, deleted', async () => {
  const saved = await county.post('/api/v1/saved-filters', { name: '我认领的临期申报', query: { view: 'todo', assignee: 'me', deadlineWithinHours: 72, sort: 'deadline' } });
  expect([saved.status, saved.body.name, saved.body.query]).toEqual([201, '我认领的临期申报', { view: 'todo', assignee: 'me', deadlineWithinHours: 72, sort: 'deadline' }]);
  const again = await county.post('/api/v1/saved-filters', { name: '我认领的临期申报', query: { view: 'done' } });
  expect(again.body.id).toBe(saved.body.id);
  expect((await county.get('/api/v1/saved-filters')).body.map((f: { name: string; query: object }) => [f.name, f.query])).toEqual([['我认领的临期申报', { view: 'done' }]]);
  // Another person sees none of them and cannot delete them.
  expect((await county2.get('/api/v1/saved-filters')).body).toEqual([]);
  expect((await county2.delete(`/api/v1/saved-filters/${saved.body.id}`)).status).toBe(404);
  const bad = await county.post('/api/v1/saved-filters', { name: '坏的', query: { sort: 'name' } });
  expect([bad.status, bad.body.message]).toEqual([400, '排序方式须为截止时间、提交时间、进入环节时间、更新时间或创建时间']);
  const long = await county.post('/api/v1/saved-filters', { name: '长'.repeat(31), query: {} });
  expect([long.status, long.body.message]).toEqual([400, '名称不能超过30个字']);
  expect((await county.delete(`/api/v1/saved-filters/${saved.body.id}`)).status).toBe(204);
  expect((await county.get('/api/v1/saved-filters')).body).toEqual([]);
});
