import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { ListFiltersDto } from '../applications/application.dto';
import { NotBlank } from '../common/validation';

export const REASON_MAX = 500;
export const FILTER_NAME_MAX = 30;
/** A person keeps at most this many saved filters. */
export const SAVED_FILTERS_MAX = 20;

export class TransferDto {
  @ApiProperty({ description: 'The colleague (same role, same region) who takes it over' }) @IsUUID('all', { message: '须为本科室的同事' }) toUserId!: string;
  @ApiProperty({ description: 'Why (shown in the history)', maxLength: REASON_MAX }) @IsString() @NotBlank() @MaxLength(REASON_MAX) reason!: string;
}

export class AssigneeEventDto {
  @ApiProperty({ enum: ['CLAIM', 'RELEASE', 'TRANSFER', 'REASSIGN'] }) kind!: string;
  @ApiProperty({ description: '认领 / 释放 / 转办 / 改派' }) kindLabel!: string;
  officeLabel!: string;
  fromName!: string | null;
  toName!: string | null;
  byName!: string;
  reason!: string | null;
  at!: string;
}

/** Who in the caller's office holds the application, what the caller may do about it, and its history. */
export class AssigneeDto {
  assigneeId!: string | null;
  assigneeName!: string | null;
  assignedAt!: string | null;
  @ApiProperty({ description: 'It waits for the caller\'s office now' }) waiting!: boolean;
  canClaim!: boolean;
  canRelease!: boolean;
  canTransfer!: boolean;
  @ApiProperty({ description: 'The caller is the office head' }) canReassign!: boolean;
  @ApiProperty({ type: [AssigneeEventDto] }) history!: AssigneeEventDto[];
}

export class ColleagueDto {
  id!: string;
  displayName!: string;
  officeHead!: boolean;
}

export class SaveFilterDto {
  @ApiProperty({ maxLength: FILTER_NAME_MAX }) @IsString() @NotBlank() @MaxLength(FILTER_NAME_MAX) name!: string;
  @ApiProperty({ type: ListFiltersDto }) @ValidateNested() @Type(() => ListFiltersDto) query!: ListFiltersDto;
}

export class SavedFilterDto {
  id!: string;
  name!: string;
  @ApiProperty({ type: ListFiltersDto }) query!: ListFiltersDto;
  createdAt!: string;
}
