import { Body, Param, Query } from '@nestjs/common';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { CurrentUser, Meta } from '../auth/decorators';
import { ApiController, Endpoint } from '../common/endpoint.decorator';
import { UuidPipe } from '../common/pipes';
import { ConfirmRepairDto, RejectRepairDto, RepairRequestDto, RepairRequestQueryDto } from './ops.dto';
import { RepairService } from './repair.service';

/** Destructive repairs asked by ADMIN, confirmed or rejected by PROVINCE_IT (four eyes). */
@ApiController('operations', 'api/v1/repair-requests')
export class RepairRequestsController {
  constructor(private readonly repairs: RepairService) {}

  @Endpoint('GET', '', { roles: ['PROVINCE_IT', 'ADMIN'], summary: 'Destructive repair requests (TERMINATE, RESET): pending first', ok: [RepairRequestDto], errors: [400, 401, 403] })
  list(@Query() q: RepairRequestQueryDto): Promise<RepairRequestDto[]> {
    return this.repairs.requests(q.status ?? null);
  }

  @Endpoint('POST', ':id/confirm', {
    summary: 'PROVINCE_IT: confirm a destructive repair; it runs now if the application is still in the state the scan found',
    status: 200, roles: ['PROVINCE_IT'], ok: RepairRequestDto, errors: [400, 401, 403, 404, 409],
  })
  confirm(@Param('id', UuidPipe) id: string, @Body() dto: ConfirmRepairDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<RepairRequestDto> {
    return this.repairs.confirm(user, id, dto.note ?? null, meta);
  }

  @Endpoint('POST', ':id/reject', { status: 200, roles: ['PROVINCE_IT'], summary: 'PROVINCE_IT: reject a destructive repair (reason audited)', ok: RepairRequestDto, errors: [400, 401, 403, 404, 409] })
  reject(@Param('id', UuidPipe) id: string, @Body() dto: RejectRepairDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<RepairRequestDto> {
    return this.repairs.reject(user, id, dto.reason, meta);
  }
}
