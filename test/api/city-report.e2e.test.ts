/**
 * The city report (推荐上报) over HTTP on the real stack (issue 13): CITY_IT submits the joint
 * IT + finance document and the system keeps the 推荐汇总表 (附件4) it generated beside it;
 * CITY_FINANCE confirms (a disagreement needs its reason; once only); the province records the
 * paper copies, a receipt after the mailing deadline flagged late.
 */
import ExcelJS from 'exceljs';
import { binary, PDF } from '../helpers/api';
import { useApiStack } from '../helpers/use-stack';

const { db, api } = useApiStack('api_city_report');
const CAMPAIGN = '2026P';

test('both documents, finance confirmation, paper receipt flagged late', async () => {
  const cityIt = await api.as('city-it');
  const cityFinance = await api.as('city-finance');
  const province = await api.as('province');
  const up = await cityIt.post(`/api/v1/campaigns/${CAMPAIGN}/city-reports`).field('note', '济工信联〔2026〕1号').attach('file', PDF, '联合推荐文件.pdf');
  expect(up.status).toBe(201);
  expect(up.body).toMatchObject({ filename: '联合推荐文件.pdf', statusLabel: '待市财政局确认', financeDecision: null, paperLate: false });
  expect(up.body.summaryFileId).toEqual(expect.any(String));
  const id = up.body.id;

  // The generated 推荐汇总表, downloadable by the city and the province.
  const x = await province.get(`/api/v1/campaigns/${CAMPAIGN}/city-reports/${id}/summary`).buffer(true).parse(binary);
  expect(x.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(x.body as unknown as ArrayBuffer);
  expect(String(wb.worksheets[0].getCell(1, 1).value)).toContain('推荐汇总表');

  // Only the city's finance bureau confirms; a disagreement needs its reason; once.
  expect((await cityIt.put(`/api/v1/campaigns/${CAMPAIGN}/city-reports/${id}/finance`, { decision: 'CONCUR' })).status).toBe(403);
  const bare = await cityFinance.put(`/api/v1/campaigns/${CAMPAIGN}/city-reports/${id}/finance`, { decision: 'DISAGREE' });
  expect([bare.status, bare.body.field]).toEqual([422, 'comment']);
  const ok = await cityFinance.put(`/api/v1/campaigns/${CAMPAIGN}/city-reports/${id}/finance`, { decision: 'CONCUR' });
  expect(ok.status).toBe(200);
  expect(ok.body).toMatchObject({ financeDecision: 'CONCUR', statusLabel: '市财政局已确认' });
  expect((await cityFinance.put(`/api/v1/campaigns/${CAMPAIGN}/city-reports/${id}/finance`, { decision: 'DISAGREE', comment: '改主意' })).status).toBe(409);

  // The mailing deadline has passed: the receipt is flagged late.
  await db.ds.query(`update campaigns set paper_deadline_at = now() - interval '1 day' where id = $1`, [CAMPAIGN]);
  expect((await province.put(`/api/v1/campaigns/${CAMPAIGN}/city-reports/${id}/paper-received`)).status).toBe(204);
  const [seen] = (await province.get(`/api/v1/campaigns/${CAMPAIGN}/city-reports?cityCode=370100`)).body.filter((r: { id: string }) => r.id === id);
  expect(seen).toMatchObject({ paperLate: true, financeDecision: 'CONCUR' });
  expect(seen.paperDeadlineAt).toMatch(/\+08:00$/);
  const audit: Array<{ event_type: string }> = await db.ds.query(`select event_type from audit_log where event_type like 'CITY_REPORT.%' order by id`);
  expect(audit.map((a) => a.event_type)).toEqual(['CITY_REPORT.UPLOAD', 'CITY_REPORT.FINANCE', 'CITY_REPORT.PAPER_RECEIVED']);
});
