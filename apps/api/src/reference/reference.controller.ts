import { Get } from '@nestjs/common';
import { Roles } from '../auth/decorators';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACTION_LABELS, APPLICANT_TYPE_LABELS, ATTESTATIONS, DIRECTIONS, MATERIALS, ROLE_LABELS, ROLES, STAGE_LABELS, TASKS } from '@jiebang/domain';
import { REGIONS } from '@jiebang/domain/reference/regions';
import { ApiErrors } from '../common/api-errors.decorator';
import { ApiController } from '../common/endpoint.decorator';

export class DirectionRefDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

export class TaskRefDto {
  @ApiProperty() code!: string;
  @ApiProperty() direction!: string;
  @ApiProperty() name!: string;
  @ApiProperty() entersReservePool!: boolean;
}

export class RegionRefDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['PROVINCE', 'CITY', 'COUNTY'] }) level!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) parentCode!: string | null;
}

export class AttestationRefDto {
  @ApiProperty() key!: string;
  @ApiProperty() label!: string;
}

export class MaterialRefDto {
  @ApiProperty() kind!: string;
  @ApiProperty() label!: string;
  @ApiProperty() required!: boolean;
  @ApiProperty() byUpload!: boolean;
}

export class ReferenceDto {
  @ApiProperty({ type: [DirectionRefDto] }) directions!: DirectionRefDto[];
  @ApiProperty({ type: [TaskRefDto] }) tasks!: TaskRefDto[];
  @ApiProperty({ type: [RegionRefDto], description: 'The province, its 16 cities and their county-level divisions (GB/T 2260)' })
  regions!: RegionRefDto[];
  @ApiProperty({ type: [AttestationRefDto] }) attestations!: AttestationRefDto[];
  @ApiProperty({ type: [MaterialRefDto] }) materials!: MaterialRefDto[];
  @ApiProperty({ type: Object }) stages!: Record<string, string>;
  @ApiProperty({ type: Object }) roles!: Record<string, string>;
  @ApiProperty({ type: Object }) actions!: Record<string, string>;
  @ApiProperty({ type: Object }) applicantTypes!: Record<string, string>;
}

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
