import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsString, MaxLength } from 'class-validator';
import { PageMetaDto, PageQueryDto } from '../common/paging';
import { NotBefore, IsOptional } from '../common/validation';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Event type or its prefix, e.g. AUTH. or APPLICATION.submit' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  eventType?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) username?: string;

  @ApiPropertyOptional({ enum: ['SUCCESS', 'FAILURE', 'REFUSED', 'DENIED'] })
  @IsOptional()
  @IsIn(['SUCCESS', 'FAILURE', 'REFUSED', 'DENIED'])
  outcome?: string;

  @ApiPropertyOptional({ description: 'Application number or other target' }) @IsOptional() @IsString() @MaxLength(100) target?: string;
  @ApiPropertyOptional({ description: 'ISO 8601' }) @IsOptional() @IsISO8601({ strict: true, strictSeparator: true }) from?: string;
  @ApiPropertyOptional({ description: 'ISO 8601, not before from' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @NotBefore('from', 'to（结束时间）不能早于 from（开始时间）')
  to?: string;
}

export class AuditRowDto {
  @ApiProperty() id!: string;
  @ApiProperty() occurredAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) userId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) username!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) role!: string | null;
  @ApiProperty() eventType!: string;
  @ApiProperty() outcome!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) target!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Object }) detail!: Record<string, unknown> | null;
  @ApiPropertyOptional({ nullable: true, type: String }) ip!: string | null;
  @ApiProperty() hash!: string;
}

export class AuditPageDto extends PageMetaDto {
  @ApiProperty({ type: [AuditRowDto] }) items!: AuditRowDto[];
}

export class ChainBreakDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['HASH_MISMATCH', 'CHAIN_BROKEN'] }) reason!: 'HASH_MISMATCH' | 'CHAIN_BROKEN';
  @ApiProperty() occurredAt!: string;
  @ApiProperty() eventType!: string;
}

export class ChainVerificationDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty() checked!: number;
  @ApiPropertyOptional({ type: ChainBreakDto }) firstBroken?: ChainBreakDto;
}
