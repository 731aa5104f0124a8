import { Injectable } from '@nestjs/common';
import { CITIES, regionName } from '@jiebang/domain/reference/regions';
import type { ImportColumn } from '../workbook-reader';
import type { Repositories } from '@jiebang/db';
import { cellError, type ImportContext, type ImportKind, type ParsedRow, type RowPlan } from '../import-kind';

type Quota = { cityCode: string; quota: number };

const CITY: ImportColumn = { header: '市', key: 'city', hint: '本省的市：名称（如 济南市）或6位行政区划代码', width: 18 };
const QUOTA: ImportColumn = { header: '推荐名额', key: 'quota', hint: '0至1000之间的整数（附件5）', width: 14 };
export const MAX_QUOTA = 1000;

/** A city by its name (济南市, 济南) or its six-digit code. */
function cityOf(text: string): string | null {
  const t = text.replace(/\s+/g, '');
  const found = CITIES.find((c) => c.code === t || c.name === t || c.name === `${t}市`);
  return found?.code ?? null;
}

/**
 * City quotas of a campaign (附件5): one row per city, its recommendation quota. A city the list
 * does not name keeps its quota; a quota is never set below what the city has already
 * recommended (the same rule as the single edit, PUT campaigns/:id/quotas/:cityCode).
 */
@Injectable()
export class QuotasImport implements ImportKind<Quota> {
  readonly name = 'quotas' as const;
  readonly label = '市级推荐名额';
  readonly roles = ['PROVINCE_IT', 'ADMIN'] as const;
  readonly columns = [CITY, QUOTA];
  readonly keyColumns = [CITY.header];
  readonly maxRows = 100;
  readonly perCampaign = true;
  readonly example = [
    { city: '济南市', quota: '20' },
    { city: '370200', quota: '18' },
  ];

  parse(v: Record<string, string>) {
    const errors = [];
    const cityCode = cityOf(v.city);
    if (!cityCode) errors.push(cellError(CITY, `“市”须为本省的市（名称或6位代码），“${v.city}”不是`));
    const quota = /^\d+$/.test(v.quota) ? Number(v.quota) : NaN;
    if (!Number.isSafeInteger(quota) || quota > MAX_QUOTA) errors.push(cellError(QUOTA, `“推荐名额”须为0至${MAX_QUOTA}之间的整数，“${v.quota}”不是`));
    if (errors.length) return { errors };
    return { key: cityCode!, value: { cityCode: cityCode!, quota } };
  }

  async plan(tx: Repositories, rows: ReadonlyArray<ParsedRow<Quota>>, ctx: ImportContext): Promise<RowPlan[]> {
    const out: RowPlan[] = [];
    for (const { value } of rows) {
      // The city's quota row locked, as the single edit and a recommendation do, so the usage read stays true until commit.
      const before = await tx.quotas.lock(ctx.campaignId!, value.cityCode);
      const taken = await tx.quotas.taken(ctx.campaignId!, value.cityCode);
      if (value.quota < taken) {
        out.push({ result: 'ERROR', before: before === null ? '未设置' : String(before), after: String(value.quota), errors: [cellError(QUOTA, `${regionName(value.cityCode)}已推荐${taken}个项目，名额不能少于${taken}`)] });
      } else {
        out.push({ result: before === null ? 'CREATE' : before === value.quota ? 'UNCHANGED' : 'UPDATE', before: before === null ? null : String(before), after: String(value.quota) });
      }
    }
    return out;
  }

  async apply(tx: Repositories, rows: ReadonlyArray<{ parsed: ParsedRow<Quota> }>, ctx: ImportContext): Promise<void> {
    for (const { parsed } of rows) await tx.quotas.set(ctx.campaignId!, parsed.value.cityCode, parsed.value.quota);
  }
}
