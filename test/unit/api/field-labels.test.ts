/**
 * What a person reads when the API refuses input: the field's Chinese label and the reason, never
 * its path (`projectName长度超出限制`, `project.contactPhone须为电话号码` were found on main);
 * `field` keeps the path for the control. Every validated DTO property has a label.
 */
import fs from 'node:fs';
import path from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { labelOf } from '../../../apps/api/src/common/labels';
import { validationPipe } from '../../../apps/api/src/common/validation';

type Class = abstract new (...args: never[]) => unknown;

const API = path.resolve(__dirname, '../../../apps/api/src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(dto|controller)\.ts$/.test(e.name) || e.name === 'paging.ts' ? [p] : [];
  });
}

/** Every class exported by the API's DTO and controller files. */
async function apiClasses(): Promise<Class[]> {
  const out = new Set<Class>();
  for (const file of sources(API)) {
    for (const v of Object.values((await import(file)) as Record<string, unknown>)) if (typeof v === 'function') out.add(v as Class);
  }
  return [...out];
}

async function refusal(metatype: Class, body: unknown): Promise<{ field: string; message: string; errors: Array<{ field: string; message: string }> }> {
  try {
    await validationPipe().transform(body, { type: 'body', metatype: metatype as never });
  } catch (e) {
    return (e as { getResponse(): never }).getResponse();
  }
  throw new Error('accepted');
}

test('every validated property of every API DTO has a Chinese label', async () => {
  const classes = new Set(await apiClasses());
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Class, Array<{ propertyName: string }>> };
  const unlabelled: string[] = [];
  let checked = 0;
  for (const [target, metas] of storage.validationMetadatas) {
    if (!classes.has(target)) continue;
    for (const property of new Set(metas.map((m) => m.propertyName))) {
      checked++;
      const label = labelOf(target.prototype as object, property);
      if (!label || !/[\u4e00-\u9fa5]/.test(label)) unlabelled.push(`${target.name}.${property}`);
    }
  }
  expect(checked).toBeGreaterThan(80);
  expect(unlabelled).toEqual([]);
});

describe('refusals name the label, not the path', () => {
  let CreateApplicationDto: Class;
  beforeAll(async () => {
    ({ CreateApplicationDto } = await import('../../../apps/api/src/applications/application.dto'));
  });
  const base = { campaignId: '2026P', taskCode: 'T1', projectName: '项目' };

  test.each([
    ['too long', { projectName: '长'.repeat(201) }, 'projectName', '项目名称不能超过200个字'],
    ['whitespace only', { projectName: '    ' }, 'projectName', '项目名称不能为空白'],
    ['missing', { projectName: undefined }, 'projectName', '项目名称为必填项'],
    ['nested pattern', { project: { contactPhone: 'abc' } }, 'project.contactPhone', '联系电话须为电话号码（7–20位数字，可含 + - ( ) 和空格）'],
    ['nested range', { project: { totalInvestment: -50 } }, 'project.totalInvestment', '项目总投资（万元）不能小于0'],
    ['nested decimals', { unit: { revenueLastYear: 1.234 } }, 'unit.revenueLastYear', '上年度营业收入（万元）须为数值，最多2位小数'],
    ['nested date', { project: { startDate: '2026/05/01' } }, 'project.startDate', '实施开始日期须为日期（如 2026-05-01）'],
    ['unknown field', { isAdmin: true }, 'isAdmin', '请求中含有系统不接受的内容'],
  ])('%s', async (_name, patch, field, message) => {
    const r = await refusal(CreateApplicationDto, { ...base, ...patch });
    expect({ field: r.field, message: r.message }).toEqual({ field, message });
    for (const e of r.errors) expect(e.message).not.toMatch(/[A-Za-z]+\.[A-Za-z]+|projectName|contactPhone|isAdmin/);
  });
});
