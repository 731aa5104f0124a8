import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { CurrentUser, Meta, Roles } from '../auth/decorators';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { ApiErrors } from '../common/api-errors.decorator';
import { sendWorkbook } from '../exports/xlsx';
import { auditDetails, auditNames } from './audit-view';
import { AuditPageDto, AuditQueryDto, AuditRowDto, ChainVerificationDto } from './audit.dto';
import { AuditService } from './audit.service';

/** The audit: read, verified and exported by the AUDITOR only (separated from ADMIN). */
@ApiTags('audit')
@ApiBearerAuth()
@Roles('AUDITOR')
@Controller('api/v1/audit')
export class AuditController {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  private async query(q: AuditQueryDto, limit: number, offset: number): Promise<{ rows: AuditRowDto[]; total: number }> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      args.push(v);
      where.push(sql.replace('?', `$${args.length}`));
    };
    if (q.eventType) add(`event_type like ?`, `${q.eventType.replace(/[%_]/g, '')}%`);
    if (q.username) add('username = ?', q.username);
    if (q.outcome) add('outcome = ?', q.outcome);
    if (q.target) add('target = ?', q.target);
    if (q.from) add('occurred_at >= ?', new Date(q.from));
    if (q.to) add('occurred_at < ?', new Date(q.to));
    const w = where.length ? `where ${where.join(' and ')}` : '';
    const [{ total }] = await this.ds.query(`select count(*)::int as total from audit_log ${w}`, args);
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `select id::text, occurred_at, user_id, username, role, event_type, outcome, target, detail, ip, hash from audit_log ${w}
        order by id desc limit ${limit} offset ${offset}`,
      args,
    );
    return {
      total,
      rows: rows.map((r) => {
        const row = { eventType: r.event_type as string, outcome: r.outcome as string, role: r.role as string | null };
        const detail = r.detail as Record<string, unknown> | null;
        return {
          id: r.id as string,
          occurredAt: new Date(r.occurred_at as string).toISOString(),
          userId: r.user_id as string | null,
          username: r.username as string | null,
          ...row,
          ...auditNames(row),
          target: r.target as string | null,
          detail,
          details: auditDetails(detail),
          ip: r.ip as string | null,
          hash: r.hash as string,
        };
      }),
    };
  }

  @Get()
  @ApiOperation({ summary: 'AUDITOR: the audit log, newest first, filtered' })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiErrors(400, 401, 403)
  async list(@Query() q: AuditQueryDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<AuditPageDto> {
    const { rows, total } = await this.query(q, q.pageSize, (q.page - 1) * q.pageSize);
    await this.audit.record(user, meta, 'AUDIT.READ', 'SUCCESS', null, { filters: { ...q } });
    return { items: rows, total, page: q.page, pageSize: q.pageSize };
  }

  @Get('verify')
  @ApiOperation({ summary: 'AUDITOR: verify the hash chain; names the first row that does not verify' })
  @ApiOkResponse({ type: ChainVerificationDto })
  @ApiErrors(401, 403)
  async verify(@CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<ChainVerificationDto> {
    const result = await this.audit.verify();
    await this.audit.record(user, meta, 'AUDIT.VERIFY', result.ok ? 'SUCCESS' : 'FAILURE', result.firstBroken?.id ?? null, { checked: result.checked });
    return result;
  }

  @Get('export')
  @ApiOperation({ summary: 'AUDITOR: export the filtered audit as .xlsx (at most 50,000 rows)' })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ description: '审计日志.xlsx' })
  @ApiErrors(400, 401, 403)
  async export(@Query() q: AuditQueryDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta, @Res() res: Response): Promise<void> {
    const { rows } = await this.query(q, 50_000, 0);
    await this.audit.record(user, meta, 'AUDIT.EXPORT', 'SUCCESS', null, { rows: rows.length });
    await sendWorkbook(res, '审计日志', [
      {
        name: '审计日志',
        columns: [
          { header: '序号', key: 'id', width: 10 },
          { header: '时间', key: 'occurredAt', width: 22 },
          { header: '用户', key: 'username', width: 16 },
          { header: '角色', key: 'roleLabel', width: 18 },
          { header: '事件', key: 'eventLabel', width: 24 },
          { header: '事件类型代码', key: 'eventType', width: 32 },
          { header: '结果', key: 'outcomeLabel', width: 10 },
          { header: '对象', key: 'target', width: 20 },
          { header: 'IP 地址', key: 'ip', width: 16 },
          { header: '详情', key: 'details', width: 60 },
          { header: '哈希', key: 'hash', width: 66 },
        ],
        rows: rows.map((r) => ({ ...r, details: r.details.map((d) => `${d.label}：${d.value}`).join('；') })),
      },
    ]);
  }
}
