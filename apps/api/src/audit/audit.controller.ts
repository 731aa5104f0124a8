import { Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentUser, Meta } from '../auth/decorators';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { ApiController, Endpoint } from '../common/endpoint.decorator';
import { sendWorkbook, XLSX } from '../exports/xlsx';
import { AuditPageDto, AuditQueryDto, ChainVerificationDto } from './audit.dto';
import { AuditService } from './audit.service';

/** The audit: read, verified and exported by the AUDITOR only (separated from ADMIN). */
@ApiController('audit', 'api/v1/audit', { roles: ['AUDITOR'] })
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Endpoint('GET', '', { summary: 'AUDITOR: the audit log, newest first, filtered', ok: AuditPageDto, errors: [400, 401, 403] })
  async list(@Query() q: AuditQueryDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<AuditPageDto> {
    const { rows, total } = await this.audit.search(q, q.pageSize, (q.page - 1) * q.pageSize);
    await this.audit.record(user, meta, 'AUDIT.READ', 'SUCCESS', null, { filters: { ...q } });
    return { items: rows, total, page: q.page, pageSize: q.pageSize };
  }

  @Endpoint('GET', 'verify', { summary: 'AUDITOR: verify the HMAC-SM3 chain, its numbering and the signed checkpoints; names the first row or checkpoint that does not verify', ok: ChainVerificationDto, errors: [401, 403] })
  async verify(@CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<ChainVerificationDto> {
    const result = await this.audit.verify();
    await this.audit.record(user, meta, 'AUDIT.VERIFY', result.ok ? 'SUCCESS' : 'FAILURE', result.firstBroken?.id ?? result.checkpoints?.broken?.seq ?? null, {
      checked: result.checked,
      ...(result.firstBroken ? { reason: result.firstBroken.reason } : {}),
      ...(result.checkpoints ? { checkpoints: result.checkpoints.checked, ...(result.checkpoints.broken ? { checkpointReason: result.checkpoints.broken.reason } : {}) } : {}),
    });
    return result;
  }

  @Endpoint('GET', 'export', { summary: 'AUDITOR: export the filtered audit as .xlsx (at most 50,000 rows)', ok: { description: '审计日志.xlsx' }, produces: XLSX, errors: [400, 401, 403] })
  async export(@Query() q: AuditQueryDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta, @Res() res: Response): Promise<void> {
    const { rows } = await this.audit.search(q, 50_000, 0);
    await this.audit.record(user, meta, 'AUDIT.EXPORT', 'SUCCESS', null, { rows: rows.length });
    await sendWorkbook(res, '审计日志', [
      {
        name: '审计日志',
        columns: [
          ['序号', 'id', 10], ['时间', 'occurredAt', 22], ['用户', 'username', 16], ['姓名', 'displayName', 16], ['角色', 'roleLabel', 18],
          ['事件', 'eventLabel', 24], ['事件类型代码', 'eventType', 32], ['结果', 'outcomeLabel', 10], ['对象', 'targetLabel', 20],
          ['IP 地址', 'ip', 16], ['详情', 'details', 60], ['哈希', 'hash', 66],
        ],
        rows: rows.map((r) => ({ ...r, targetLabel: r.targetName ?? r.target, details: r.details.map((d) => `${d.label}：${d.value}`).join('；') })),
      },
    ]);
  }
}
