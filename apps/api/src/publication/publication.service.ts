import { Injectable } from '@nestjs/common';
import { formatShanghai, taskLabel } from '@jiebang/domain';
import { regionName } from '@jiebang/domain/reference/regions';
import { Repositories, type PublicEntryRow } from '@jiebang/db';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { notFound } from '../common/errors';
import { iso } from '../common/time';
import type { SheetSpec } from '../exports/xlsx';
import { publicPage, type PublicTable } from './public-page';
import type { ReservePoolEntryDto } from './publication.dto';

const at = (d: Date | null) => (d ? formatShanghai(d.getTime()) : '');

type PublicList = 'publicity' | 'results' | 'accepted';

/** What differs between the public lists: publicity (公示), results (公布), accepted (验收通过). */
const PUBLIC_LISTS: Record<PublicList, { title: string; intro: string; dateHeader: string; date: (r: PublicEntryRow) => Date | null; empty: string; sheetName: string }> = {
  publicity: {
    title: '拟入选项目公示名单',
    intro: '公示期间，对名单有异议的，可通过电话、邮件或信函向省工业和信息化厅反映，请写明异议事项并提供联系方式。',
    dateHeader: '公示截止时间',
    date: (r) => r.deadline_at,
    empty: '当前没有公示中的项目',
    sheetName: '公示名单',
  },
  results: { title: '入选项目名单（公布）', intro: '经公示无异议，以下项目入选并进入实施阶段。', dateHeader: '公布时间', date: (r) => r.published_at, empty: '尚未公布入选项目', sheetName: '入选名单' },
  accepted: { title: '验收通过项目名单', intro: '以下项目经验收评估通过（省工业和信息化厅、省财政厅确认）。', dateHeader: '验收通过时间', date: (r) => r.deadline_at, empty: '尚无验收通过的项目', sheetName: '验收通过名单' },
};

/**
 * What the province makes public: the list under publicity (公示) with its end, and the
 * published results (公布) — application, organisation, task, city; no personal data — as a page
 * anyone can read without login and as xlsx; and the provincial reserve pool (储备库) for the province.
 */
@Injectable()
export class PublicationService {
  constructor(
    private readonly db: Repositories,
    private readonly audit: AuditService,
  ) {}

  private async campaign(id: string) {
    const c = await this.db.campaigns.get(id);
    if (!c) throw notFound('申报批次');
    return c;
  }

  /** A campaign the public may see: never a practice campaign (练习批次 are not a real call). */
  private async publicCampaign(id: string) {
    const c = await this.campaign(id);
    if (c.is_practice) throw notFound('申报批次');
    return c;
  }

  /** One public list: the same columns for each kind but for the last (its date). */
  private table(campaignId: string, which: PublicList, rows: PublicEntryRow[]): PublicTable {
    const t = PUBLIC_LISTS[which];
    return {
      id: which,
      title: t.title,
      intro: t.intro,
      exportHref: `/api/v1/public/campaigns/${encodeURIComponent(campaignId)}/${which}/export`,
      columns: ['申报编号', '项目名称', '申报单位', '榜单任务', '所在市', t.dateHeader],
      rows: rows.map((r) => [r.id, r.project_name, r.org_name, taskLabel(r.task_code, r.task_name), regionName(r.city_code), at(t.date(r))]),
      empty: t.empty,
    };
  }

  private rows(campaignId: string, which: PublicList): Promise<PublicEntryRow[]> {
    return which === 'publicity' ? this.db.publication.inPublicity(campaignId) : which === 'results' ? this.db.publication.published(campaignId) : this.db.publication.accepted(campaignId);
  }

  async page(campaignId: string): Promise<string> {
    const c = await this.publicCampaign(campaignId);
    const lists = ['publicity', 'results', 'accepted'] as const;
    const tables = await Promise.all(lists.map(async (which) => this.table(campaignId, which, await this.rows(campaignId, which))));
    return publicPage(`${c.name} 工赋百景·揭榜挂帅项目公示与公布`, tables, `山东省工业和信息化厅 · 更新于 ${formatShanghai(Date.now())}`);
  }

  async sheet(campaignId: string, which: PublicList): Promise<{ name: string; sheet: SheetSpec }> {
    const c = await this.publicCampaign(campaignId);
    const t = this.table(campaignId, which, await this.rows(campaignId, which));
    const keys = t.columns.map((_, i) => `c${i}`);
    return {
      name: `${t.title}-${c.id}`,
      sheet: {
        name: PUBLIC_LISTS[which].sheetName,
        title: `${c.name} ${t.title}`,
        columns: t.columns.map((h, i) => [h, keys[i], i === 1 || i === 2 ? 32 : 18] as const),
        rows: t.rows.map((r) => Object.fromEntries(r.map((v, i) => [keys[i], v]))),
      },
    };
  }

  async reservePool(campaignId: string): Promise<ReservePoolEntryDto[]> {
    await this.campaign(campaignId);
    return (await this.db.publication.reservePool(campaignId)).map((r) => ({
      applicationId: r.id,
      projectName: r.project_name,
      orgName: r.org_name,
      creditCode: r.credit_code,
      taskName: taskLabel(r.task_code, r.task_name),
      cityName: regionName(r.city_code),
      stage: r.stage,
      addedAt: iso(r.added_at)!,
    }));
  }

  async reservePoolSheet(user: AuthUser, campaignId: string, meta: RequestMeta): Promise<SheetSpec> {
    const c = await this.campaign(campaignId);
    const rows = await this.reservePool(campaignId);
    await this.audit.record(user, meta, 'EXPORT.RESERVE_POOL', 'SUCCESS', campaignId, { entries: rows.length });
    return {
      name: '储备库',
      title: `${c.name} 省级制造业数字化转型促进中心储备库`,
      columns: [['申报编号', 'id', 18], ['项目名称', 'project', 32], ['申报单位', 'org', 30], ['统一社会信用代码', 'code', 22], ['所在市', 'city', 10], ['入库时间', 'added', 20]],
      rows: rows.map((r) => ({ id: r.applicationId, project: r.projectName, org: r.orgName, code: r.creditCode, city: r.cityName, added: formatShanghai(new Date(r.addedAt).getTime()) })),
    };
  }
}
