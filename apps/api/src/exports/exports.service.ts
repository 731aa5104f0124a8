import { Injectable } from '@nestjs/common';
import { APPLICANT_TYPE_LABELS, ATTESTATIONS, formatShanghai, taskLabel, STAGE_LABELS, type ApplicantType } from '@jiebang/domain';
import { regionName } from '@jiebang/domain/reference/regions';
import { Repositories } from '@jiebang/db';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { forbidden, unprocessable } from '../common/errors';
import { ApplicationAccess, type ScopedApplication } from '../applications/application-access.service';
import type { ListQueryDto } from '../applications/application.dto';
import { toSummary } from '../applications/application.summary';
import type { SheetSpec } from './xlsx';

/** At most this many rows in one list export; more is refused (never cut silently). */
export const LIST_EXPORT_MAX = 10_000;

const at = (v: string | null) => (v ? formatShanghai(new Date(v).getTime()) : '');

type Row = Record<string, unknown>;

const yesNo = (b: unknown) => (b ? '是' : '否');
const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** The forms of the notice, filled from an application: 项目基本信息表 and 申报单位信息表. */
export function projectInfoRows(a: ScopedApplication): Array<[string, string]> {
  const p = (a.project ?? {}) as Row;
  // The task as the application's campaign lists it.
  const direction = a.task_direction ?? '';
  return [
    ['申报编号', a.id],
    ['项目名称', a.project_name],
    ['揭榜方向', direction],
    ['榜单任务', taskLabel(a.task_code, a.task_name)],
    ['申报单位', a.org_name],
    ['所在地区', `${regionName(a.city_code)} ${regionName(a.county_code)}`],
    ['项目简介', text(p.summary)],
    ['主要建设内容', text(p.content)],
    ['预期目标及考核指标', text(p.goals)],
    ['应用场景/所属行业', text(p.scenario)],
    ['实施周期', p.startDate || p.endDate ? `${text(p.startDate)} 至 ${text(p.endDate)}` : ''],
    ['项目总投资（万元）', text(p.totalInvestment)],
    ['其中软硬件投入（万元）', text(p.itInvestment)],
    ['联合申报单位', Array.isArray(p.partners) ? (p.partners as string[]).join('；') : ''],
    ['项目联系人', text(p.contactName)],
    ['联系电话', text(p.contactPhone)],
  ];
}

export function unitInfoRows(a: ScopedApplication): Array<[string, string]> {
  const u = (a.unit ?? {}) as Row;
  return [
    ['单位名称', a.org_name],
    ['统一社会信用代码', a.credit_code],
    ['申报主体类型', APPLICANT_TYPE_LABELS[a.applicant_type as ApplicantType] ?? a.applicant_type],
    ['中央驻鲁企业', yesNo(a.is_central_soe)],
    ['省属国企', yesNo(a.is_provincial_soe)],
    ['所在地区', `${regionName(a.city_code)} ${regionName(a.county_code)}`],
    ['法定代表人', text(u.legalRepresentative)],
    ['注册资本（万元）', text(u.registeredCapital)],
    ['成立日期', text(u.establishedDate)],
    ['职工人数', text(u.employees)],
    ['上年度营业收入（万元）', text(u.revenueLastYear)],
    ['上年度研发投入（万元）', text(u.rdLastYear)],
    ['通讯地址', text(u.address)],
    ['主营业务', text(u.mainBusiness)],
    ['资质荣誉', text(u.honours)],
    ...ATTESTATIONS.map((x): [string, string] => [`承诺：${x.label}`, a.attestations?.[x.key] ? '已承诺' : '未承诺']),
  ];
}

@Injectable()
export class ExportsService {
  constructor(
    private readonly db: Repositories,
    private readonly access: ApplicationAccess,
    private readonly audit: AuditService,
  ) {}

  async form(id: string, form: 'project-info' | 'unit-info', user: AuthUser, meta: RequestMeta): Promise<{ title: string; rows: Array<[string, string]>; app: ScopedApplication }> {
    const app = await this.access.load(id, user, meta);
    const title = form === 'project-info' ? '项目基本信息表' : '申报单位信息表';
    const rows = form === 'project-info' ? projectInfoRows(app) : unitInfoRows(app);
    await this.audit.record(user, meta, 'EXPORT.FORM', 'SUCCESS', id, { form });
    return { title, rows, app };
  }

  formSheet(title: string, rows: Array<[string, string]>): SheetSpec {
    return {
      name: title,
      title,
      columns: [['项目', 'k', 28], ['内容', 'v', 80]],
      rows: rows.map(([k, v]) => ({ k, v })),
    };
  }

  /**
   * 推荐汇总表 (附件4): the city's recommendations, in the order recommended. The province may
   * export any city; a city only its own.
   */
  async recommendationSummary(user: AuthUser, campaignId: string, cityCode: string, meta: RequestMeta): Promise<SheetSpec> {
    if ((user.role === 'CITY_IT' || user.role === 'CITY_FINANCE') && user.cityCode !== cityCode) throw forbidden('只能导出本市的推荐汇总表');
    const rows = await this.db.applications.recommendations(campaignId, cityCode);
    const campaign = await this.db.campaigns.get(campaignId);
    await this.audit.record(user, meta, 'EXPORT.RECOMMENDATION_SUMMARY', 'SUCCESS', `${campaignId}/${cityCode}`, { rows: rows.length });
    return {
      name: '推荐汇总表',
      title: `${regionName(cityCode)} ${campaign?.year ?? ''}年度“工赋百景”制造业数字化转型揭榜挂帅项目推荐汇总表`,
      columns: [
        ['序号', 'n', 6], ['申报编号', 'id', 18], ['项目名称', 'project_name', 36], ['申报单位', 'org_name', 30], ['统一社会信用代码', 'credit_code', 22],
        ['申报主体类型', 'type', 16], ['所在县（市、区）', 'county', 14], ['揭榜方向', 'direction', 12], ['榜单任务', 'task', 30],
        ['项目总投资（万元）', 'total_investment', 14], ['是否占用推荐名额', 'quota', 12], ['推荐时间', 'recommended', 18], ['当前状态', 'stageLabel', 16],
        ['联系人', 'contact_name', 10], ['联系电话', 'contact_phone', 16],
      ],
      rows: rows.map((r, i) => {
        return {
          ...r,
          n: i + 1,
          type: APPLICANT_TYPE_LABELS[r.applicant_type as ApplicantType],
          county: regionName(r.county_code),
          direction: r.task_direction ?? '',
          task: taskLabel(r.task_code, r.task_name),
          quota: r.quota_exempt ? '否（中央驻鲁/省属国企）' : '是',
          recommended: r.recommended_at ? formatShanghai(new Date(r.recommended_at).getTime()) : '',
          stageLabel: STAGE_LABELS[r.stage],
        };
      }),
    };
  }

  /**
   * Any list of the console as .xlsx: the same filters, views and order as the list, within the
   * caller's scope (the list's own query), every row of it. More than LIST_EXPORT_MAX rows is
   * refused with the count, so an export is never silently shorter than the list.
   */
  async list(user: AuthUser, q: ListQueryDto, meta: RequestMeta): Promise<SheetSpec> {
    const { page: _page, pageSize: _size, ...filters } = q;
    const { rows, total } = await this.db.applications.all(user, filters, LIST_EXPORT_MAX);
    if (total > LIST_EXPORT_MAX) {
      throw unprocessable('EXPORT_TOO_LARGE', `符合条件的申报有${total}项，超过单次导出上限${LIST_EXPORT_MAX}项，请缩小筛选范围后分批导出`);
    }
    await this.audit.record(user, meta, 'EXPORT.LIST', 'SUCCESS', null, { rows: rows.length, filters });
    return {
      name: '申报列表',
      title: `申报列表（导出时间 ${formatShanghai(Date.now())}，共${rows.length}项）`,
      columns: [
        ['序号', 'n', 6],
        ['申报编号', 'id', 18],
        ['项目名称', 'projectName', 36],
        ['申报单位', 'orgName', 30],
        ['统一社会信用代码', 'creditCode', 22],
        ['申报主体类型', 'type', 16],
        ['所在市', 'cityName', 10],
        ['所在县（市、区）', 'countyName', 14],
        ['榜单任务', 'task', 30],
        ['当前环节', 'stageLabel', 16],
        ['进入环节时间', 'stageEntered', 18],
        ['提交时间', 'submitted', 18],
        ['截止时间', 'deadline', 18],
        ['更新时间', 'updated', 18],
      ],
      rows: rows.map((r, i) => {
        const s = toSummary(r, user.role);
        return {
          ...s,
          n: i + 1,
          creditCode: r.credit_code,
          type: APPLICANT_TYPE_LABELS[s.applicantType as ApplicantType] ?? '',
          task: taskLabel(s.taskCode, s.taskName),
          stageEntered: at(s.stageEnteredAt),
          submitted: at(s.submittedAt),
          deadline: at(s.deadlineAt),
          updated: at(s.updatedAt),
        };
      }),
    };
  }
}
