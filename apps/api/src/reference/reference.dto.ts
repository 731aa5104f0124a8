import { ApiProperty } from '@nestjs/swagger';

export class DirectionRefDto {
  code!: string;
  name!: string;
}

export class TaskRefDto {
  code!: string;
  direction!: string;
  name!: string;
  entersReservePool!: boolean;
}

export class RegionRefDto {
  code!: string;
  name!: string;
  @ApiProperty({ enum: ['PROVINCE', 'CITY', 'COUNTY'] }) level!: string;
  parentCode!: string | null;
}

export class AttestationRefDto {
  key!: string;
  label!: string;
}

export class MaterialRefDto {
  kind!: string;
  label!: string;
  required!: boolean;
  byUpload!: boolean;
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
