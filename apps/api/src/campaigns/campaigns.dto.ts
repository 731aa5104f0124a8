import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { IsShanghaiDateTime } from '../common/time';
import { IsOptional, NotBlank } from '../common/validation';

export class LimitsDto {
  @ApiProperty({ description: '单个服务商本批次项目上限' }) @IsInt() @Min(0) @Max(100) serviceProvider!: number;
  @ApiProperty({ description: '单个制造业企业本批次项目上限' }) @IsInt() @Min(0) @Max(100) manufacturer!: number;
  @ApiProperty({ description: '同一集团总揭榜任务上限' }) @IsInt() @Min(0) @Max(1000) group!: number;
}

export class CampaignDto {
  id!: string;
  name!: string;
  year!: number;
  @ApiProperty({ description: 'A practice campaign for walking the demo; not a real call' }) isPractice!: boolean;
  @ApiProperty({ description: 'Provincial shutdown (ISO 8601, +08:00)' }) shutdownAt!: string;
  paperDeadlineAt!: string | null;
  @ApiProperty({ type: LimitsDto }) limits!: LimitsDto;
  acceptanceGraceDays!: number;
  @ApiProperty({ type: [Number] }) reminderHours!: number[];
  rulesVersion!: number;
  @ApiProperty({ description: 'Whether the shutdown has passed' }) closed!: boolean;
  @ApiProperty({ description: '公示天数' }) publicityDays!: number;
  @ApiProperty({ description: '实施期（月）' }) acceptanceMonths!: number;
  @ApiProperty({ type: [Number], description: 'The years whose earlier pilots count against the limits' }) pilotYears!: number[];
  @ApiPropertyOptional({ nullable: true, type: Number, description: "县级审核超期提醒天数; null: the system's default" }) escalateCountyDays!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: "市级审核超期提醒天数; null: the system's default" }) escalateCityDays!: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Open for applications since (its 榜单 fixed); null: being set up' }) openedAt!: string | null;
}

export class RegionCutoffDto {
  regionCode!: string;
  regionName!: string;
  @ApiProperty({ enum: ['CITY', 'COUNTY'] }) level!: 'CITY' | 'COUNTY';
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Filing cut-off (submission, resubmission); null: none of its own' }) filingAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: "Review cut-off (the region's own reviewers); null: none of its own" }) reviewAt!: string | null;
}

export class CityQuotaDto {
  cityCode!: string;
  cityName!: string;
  quota!: number;
}

export class CampaignDetailDto extends CampaignDto {
  @ApiProperty({ type: [RegionCutoffDto] }) regionCutoffs!: RegionCutoffDto[];
  @ApiProperty({ type: [CityQuotaDto] }) quotas!: CityQuotaDto[];
}

export class MoveDeadlineDto {
  @ApiProperty({ description: 'New instant: ISO 8601 with offset, or "2026-04-13 17:00" (Asia/Shanghai)' }) @IsShanghaiDateTime() at!: string;
  @ApiProperty({ description: '调整原因（审计）' }) @IsString() @NotBlank() @MaxLength(500) reason!: string;
}

/** A region's two cut-offs: a field left out keeps its value, null removes it. */
export class SetRegionCutoffsDto {
  @ApiPropertyOptional({ nullable: true, type: String, description: '填报截止时间（提交、重新提交）: ISO 8601 with offset, or "2026-04-10 17:00" (Asia/Shanghai); null removes it' })
  @ValidateIf((_o, v) => v !== undefined && v !== null)
  @IsShanghaiDateTime({ message: '填报截止时间须为时间（如 2026-04-10 17:00，按北京时间）' })
  filingAt?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: '审核截止时间（本地区审核人员的操作）; null removes it' })
  @ValidateIf((_o, v) => v !== undefined && v !== null)
  @IsShanghaiDateTime({ message: '审核截止时间须为时间（如 2026-04-12 17:00，按北京时间）' })
  reviewAt?: string | null;
  @ApiPropertyOptional({ description: 'Before the split: one instant for both (kept for old clients)' })
  @IsOptional()
  @IsShanghaiDateTime({ message: '截止时间须为时间（如 2026-04-10 17:00，按北京时间）' })
  at?: string;
  @ApiProperty({ description: '调整原因（审计）' }) @IsString() @NotBlank() @MaxLength(500) reason!: string;
}

export class RemoveCutoffDto {
  @ApiProperty({ description: '原因（审计）' }) @IsString() @NotBlank() @MaxLength(500) reason!: string;
}

export class SetQuotaDto {
  @ApiProperty({ minimum: 0, maximum: 10000 }) @IsInt() @Min(0) @Max(10000) quota!: number;
  @ApiPropertyOptional({ description: '原因（审计）' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class QuotaUsageDto {
  campaignId!: string;
  cityCode!: string;
  cityName!: string;
  @ApiProperty({ description: '附件5 推荐名额' }) total!: number;
  @ApiProperty({ description: 'Recommendations in effect before the cut-off (revocable)' }) reserved!: number;
  @ApiProperty({ description: 'Recommendations passed to the province (final)' }) used!: number;
  @ApiProperty({ description: 'City IT recommendations awaiting the finance bureau' }) pending!: number;
  @ApiProperty({ description: 'Recommendations of central/provincial state enterprises (no quota)' }) exempt!: number;
  remaining!: number;
}

export class DeadlineMoveResultDto {
  @ApiProperty({ description: 'The fan-out job; follow it at /api/v1/batches/{id}' }) jobId!: string;
  @ApiProperty({ type: CampaignDetailDto }) campaign!: CampaignDetailDto;
}

export class BatchJobDto {
  id!: string;
  @ApiProperty({ enum: ['DEADLINES', 'SIGNAL'] }) kind!: string;
  campaignId!: string | null;
  @ApiProperty({ enum: ['PENDING', 'RUNNING', 'DONE', 'FAILED'] }) status!: string;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Applications affected' }) total!: number | null;
  done!: number;
  @ApiProperty({ description: 'Finished workflows (nothing left to change)' }) skipped!: number;
  failed!: number;
  @ApiProperty({ type: [Object] }) errors!: Array<{ id: string; error: string }>;
  reason!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Who started the job (the name read from the account; the job itself keeps only the id)' })
  requestedByName!: string | null;
  createdAt!: string;
  finishedAt!: string | null;
}

export class CityReportDto {
  id!: string;
  campaignId!: string;
  cityCode!: string;
  cityName!: string;
  fileId!: string;
  filename!: string;
  sha256!: string;
  note!: string | null;
  uploadedAt!: string;
  paperReceivedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The 推荐汇总表 (附件4) the system generated at submission' }) summaryFileId!: string | null;
  @ApiPropertyOptional({ nullable: true, enum: ['CONCUR', 'DISAGREE'], description: "The city finance bureau's confirmation" }) financeDecision!: 'CONCUR' | 'DISAGREE' | null;
  financeAt!: string | null;
  financeComment!: string | null;
  @ApiProperty({ description: '状态：待市财政局确认 / 市财政局已确认 / 市财政局不同意' }) statusLabel!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: "The campaign's paper mailing deadline" }) paperDeadlineAt!: string | null;
  @ApiProperty({ description: 'The paper copies arrived after the mailing deadline' }) paperLate!: boolean;
}

export class CityReportFinanceDto {
  @ApiProperty({ enum: ['CONCUR', 'DISAGREE'], description: 'CONCUR (确认) or DISAGREE (不同意; a reason required)' })
  @IsIn(['CONCUR', 'DISAGREE'], { message: '确认意见须为确认或不同意' })
  decision!: 'CONCUR' | 'DISAGREE';
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

export class CityReportUploadDto {
  @ApiPropertyOptional({ maxLength: 500, description: '说明（文号等）' }) @IsOptional() @IsString() @MaxLength(500) note?: string;
}
