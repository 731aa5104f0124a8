import { Get } from '@nestjs/common';
import { Roles } from '../auth/decorators';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ACTION_LABELS, APPLICANT_TYPE_LABELS, ATTESTATIONS, DIRECTIONS, MATERIALS, ROLE_LABELS, ROLES, STAGE_LABELS, TASKS } from '@jiebang/domain';
import { REGIONS } from '@jiebang/domain/reference/regions';
import { ApiErrors } from '../common/api-errors.decorator';
import { ApiController } from '../common/endpoint.decorator';
import { ReferenceDto } from './reference.dto';

@ApiController('reference', 'api/v1/reference')
export class ReferenceController {
  @Get()
  @Roles(...ROLES.filter((r) => r !== 'AUDITOR'))
  @ApiOperation({ summary: 'Reference data: directions and tasks, regions, attestations, materials, labels' })
  @ApiOkResponse({ type: ReferenceDto })
  @ApiErrors(401, 403)
  get(): ReferenceDto {
    return {
      directions: DIRECTIONS.map((d) => ({ ...d })),
      tasks: TASKS.map((t) => ({ ...t })),
      regions: REGIONS.map((r) => ({ ...r })),
      attestations: ATTESTATIONS.map((a) => ({ ...a })),
      materials: MATERIALS.map((m) => ({ ...m })),
      stages: STAGE_LABELS,
      roles: ROLE_LABELS,
      actions: ACTION_LABELS,
      applicantTypes: APPLICANT_TYPE_LABELS,
    };
  }
}
