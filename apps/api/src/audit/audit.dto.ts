import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsString, MaxLength } from 'class-validator';
import { AUDIT_OUTCOMES } from '@jiebang/domain';
import { PageMetaDto, PageQueryDto } from '../common/paging';
import { NotBefore, IsOptional } from '../common/validation';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'An event type, matched exactly (AUTH.LOGIN_FAILURE), or a group: its prefix ending in "." (AUTH.)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  eventType?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) username?: string;

  @ApiPropertyOptional({ enum: AUDIT_OUTCOMES })
  @IsOptional()
  @IsIn(AUDIT_OUTCOMES)
  outcome?: string;

  @ApiPropertyOptional({ description: 'Application number or other target' }) @IsOptional() @IsString() @MaxLength(100) target?: string;
  @ApiPropertyOptional({ description: 'ISO 8601' }) @IsOptional() @IsISO8601({ strict: true, strictSeparator: true }) from?: string;
  @ApiPropertyOptional({ description: 'ISO 8601, not before from' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @NotBefore('from', '不能早于开始时间')
  to?: string;
}

export class AuditDetailLineDto {
  @ApiProperty({ example: '原因' }) label!: string;
  @ApiProperty({ example: '密码错误' }) value!: string;
}

export class AuditRowDto {
  id!: string;
  occurredAt!: string;
  userId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: "The account's login, read from the account (the audit stores none since 1771100000001); null for an attempt on an unknown login" })
  username!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: "The account's name, read from the account" }) displayName!: string | null;
  role!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The role by name' }) roleLabel!: string | null;
  eventType!: string;
  @ApiProperty({ description: 'The event type by name' }) eventLabel!: string;
  @ApiProperty({ enum: AUDIT_OUTCOMES }) outcome!: string;
  @ApiProperty({ description: 'The outcome by name' }) outcomeLabel!: string;
  target!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: "When the target is an account (its id), the account's login, read from the account" }) targetName!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Object, description: 'As recorded (for machines)' }) detail!: Record<string, unknown> | null;
  @ApiProperty({ type: [AuditDetailLineDto], description: 'The details for people: each a label and a value in words' }) details!: AuditDetailLineDto[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The client address' }) ip!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The request id (X-Request-Id) of the request that caused it' }) requestId!: string | null;
  @ApiProperty({ description: 'HMAC-SM3 of the row and the previous one under the audit key' }) hash!: string;
}

export class AuditPageDto extends PageMetaDto {
  @ApiProperty({ type: [AuditRowDto] }) items!: AuditRowDto[];
}

export const CHAIN_BREAK_REASONS = ['HASH_MISMATCH', 'CHAIN_BROKEN', 'SEQUENCE_GAP', 'UNKNOWN_KEY', 'UNKEYED_ROW'] as const;
export const CHECKPOINT_BREAK_REASONS = ['BAD_SIGNATURE', 'TRUNCATED', 'MAC_MISMATCH'] as const;

export class ChainBreakDto {
  id!: string;
  @ApiProperty({ enum: CHAIN_BREAK_REASONS }) reason!: (typeof CHAIN_BREAK_REASONS)[number];
  occurredAt!: string;
  eventType!: string;
}

export class ChainHeadDto {
  id!: string;
  hash!: string;
}

export class CheckpointRefDto {
  seq!: string;
  at!: string;
}

export class CheckpointBreakDto {
  seq!: string;
  @ApiProperty({ enum: CHECKPOINT_BREAK_REASONS }) reason!: (typeof CHECKPOINT_BREAK_REASONS)[number];
  @ApiProperty({ description: 'Where the checkpoint is kept' }) file!: string;
}

export class CheckpointVerificationDto {
  @ApiProperty({ description: 'Checkpoints compared' }) checked!: number;
  @ApiPropertyOptional({ type: CheckpointRefDto, nullable: true }) latest!: CheckpointRefDto | null;
  @ApiPropertyOptional({ type: CheckpointBreakDto }) broken?: CheckpointBreakDto;
}

export class ChainVerificationDto {
  ok!: boolean;
  checked!: number;
  @ApiPropertyOptional({ type: ChainHeadDto, nullable: true, description: 'The last row verified' }) last!: ChainHeadDto | null;
  @ApiPropertyOptional({ type: ChainBreakDto }) firstBroken?: ChainBreakDto;
  @ApiPropertyOptional({ type: CheckpointVerificationDto, description: 'The comparison with the signed checkpoints kept outside the database' }) checkpoints?: CheckpointVerificationDto;
}
