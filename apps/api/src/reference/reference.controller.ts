import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ACTION_LABELS, APPLICANT_TYPE_LABELS, ATTESTATIONS, DIRECTIONS, MATERIALS, ROLE_LABELS, STAGE_LABELS, TASKS } from '@jiebang/domain';
import { REGIONS } from '@jiebang/domain/reference/regions';
import { ApiErrors } from '../common/api-errors.decorator';

export class ReferenceDto {
  @ApiProperty({ type: [Object] }) directions!: Array<{ code: string; name: string }>;
  @ApiProperty({ type: [Object] }) tasks!: Array<{ code: string; direction: string; name: string; entersReservePool: boolean }>;
  @ApiProperty({ type: [Object], description: 'The province, its 16 cities and their county-level divisions (GB/T 2260)' })
  regions!: Array<{ code: string; name: string; level: string; parentCode: string | null }>;
  @ApiProperty({ type: [Object] }) attestations!: Array<{ key: string; label: string }>;
  @ApiProperty({ type: [Object] }) materials!: Array<{ kind: string; label: string; required: boolean; byUpload: boolean }>;
  @ApiProperty({ type: Object }) stages!: Record<string, string>;
  @ApiProperty({ type: Object }) roles!: Record<string, string>;
  @ApiProperty({ type: Object }) actions!: Record<string, string>;
  @ApiProperty({ type: Object }) applicantTypes!: Record<string, string>;
}

@ApiTags('reference')
@ApiBearerAuth()
@Controller('api/v1/reference')
export class ReferenceController {
  @Get()
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
