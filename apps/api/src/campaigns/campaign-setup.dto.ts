import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsString, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import {
  CAMPAIGN_FIELD_LABELS as L,
  CAMPAIGN_TASKS_MAX,
  CAMPAIGN_YEAR_MAX,
  CAMPAIGN_YEAR_MIN,
  DIRECTIONS,
  TASK_CODE_PATTERN,
  TASK_NAME_MAX,
  TASK_SUMMARY_MAX,
} from '@jiebang/domain';
import { Label } from '../common/labels';
import { IsShanghaiDateTime } from '../common/time';
import { IsOptional, ListOf, NotBlank } from '../common/validation';
import { TaskRefDto } from '../reference/reference.dto';
import { LimitsDto } from './campaigns.dto';

const DIRECTION_CODES = DIRECTIONS.map((d) => d.code);

/** The settings of a campaign that PROVINCE_IT edits until (and after) it opens. */
export class CampaignSettingsDto {
  @ApiProperty({ maxLength: 100, description: '批次名称' }) @Label(L.name) @IsString() @NotBlank() @MaxLength(100) name!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: '纸质材料寄送截止时间: ISO 8601 with offset, or "2027-04-13 23:59" (Asia/Shanghai); null: none' })
  @Label(L.paperDeadlineAt)
  @ValidateIf((_o, v) => v !== undefined && v !== null)
  @IsShanghaiDateTime({ message: '须为时间（如 2027-04-13 23:59，北京时间）' })
  paperDeadlineAt?: string | null;
  @ApiProperty({ minimum: 1, maximum: 60, description: '公示天数' }) @Label(L.publicityDays) @IsInt() @Min(1) @Max(60) publicityDays!: number;
  @ApiProperty({ minimum: 1, maximum: 60, description: '实施期（月）: acceptance falls due this many months after publication' })
  @Label(L.acceptanceMonths)
  @IsInt()
  @Min(1)
  @Max(60)
  acceptanceMonths!: number;
  @ApiProperty({ minimum: 0, maximum: 365, description: '验收逾期宽限（天）' }) @Label(L.acceptanceGraceDays) @IsInt() @Min(0) @Max(365) acceptanceGraceDays!: number;
  @ApiProperty({ type: [Number], description: 'The years whose earlier pilots count against the limits (e.g. [2026] for 2027)' })
  @Label(L.pilotYears)
  @IsArray()
  @ArrayMaxSize(10, { message: '最多选择10个年度' })
  @IsInt({ each: true, message: '须为年度（如 2026）' })
  @Min(CAMPAIGN_YEAR_MIN - 10, { each: true })
  @Max(CAMPAIGN_YEAR_MAX, { each: true })
  pilotYears!: number[];
  @ApiPropertyOptional({ nullable: true, type: Number, minimum: 1, maximum: 365, description: "县级审核超期提醒天数: a county review older than this tells the city; null: the system's default; absent: unchanged" })
  @Label(L.escalateCountyDays)
  @ValidateIf((_o, v) => v !== undefined && v !== null)
  @IsInt()
  @Min(1)
  @Max(365)
  escalateCountyDays?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, minimum: 1, maximum: 365, description: "市级审核超期提醒天数: a city review (its opinion or the finance concurrence) older than this tells the province; null: the system's default; absent: unchanged" })
  @Label(L.escalateCityDays)
  @ValidateIf((_o, v) => v !== undefined && v !== null)
  @IsInt()
  @Min(1)
  @Max(365)
  escalateCityDays?: number | null;
}

/** A new campaign: by default a copy of the last one (its settings, 榜单 and quotas); the fields given replace the copy's. */
export class CreateCampaignDto {
  @ApiProperty({ minimum: CAMPAIGN_YEAR_MIN, maximum: CAMPAIGN_YEAR_MAX, description: '年度' })
  @Label(L.year)
  @IsInt()
  @Min(CAMPAIGN_YEAR_MIN)
  @Max(CAMPAIGN_YEAR_MAX)
  year!: number;
  @ApiProperty({ maxLength: 100, description: '批次名称' }) @Label(L.name) @IsString() @NotBlank() @MaxLength(100) name!: string;
  @ApiPropertyOptional({ description: 'A practice campaign (练习批次): marked as such, never counted, never on the public page' })
  @Label(L.isPractice)
  @IsOptional()
  @IsBoolean()
  isPractice?: boolean;
  @ApiPropertyOptional({ description: 'The campaign to copy (default: the last one)' }) @Label(L.copyFrom) @IsOptional() @IsString() @MaxLength(20) copyFrom?: string;
  @ApiProperty({ description: '全省系统关闭时间: ISO 8601 with offset, or "2027-04-13 17:00" (Asia/Shanghai)' })
  @Label(L.shutdownAt)
  @IsShanghaiDateTime({ message: '须为时间（如 2027-04-13 17:00，北京时间）' })
  shutdownAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: '纸质材料寄送截止时间 (default: none)' })
  @Label(L.paperDeadlineAt)
  @ValidateIf((_o, v) => v !== undefined && v !== null)
  @IsShanghaiDateTime({ message: '须为时间（如 2027-04-13 23:59，北京时间）' })
  paperDeadlineAt?: string | null;
  @ApiPropertyOptional({ minimum: 1, maximum: 60 }) @Label(L.publicityDays) @IsOptional() @IsInt() @Min(1) @Max(60) publicityDays?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 60 }) @Label(L.acceptanceMonths) @IsOptional() @IsInt() @Min(1) @Max(60) acceptanceMonths?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 365 }) @Label(L.acceptanceGraceDays) @IsOptional() @IsInt() @Min(0) @Max(365) acceptanceGraceDays?: number;
  @ApiPropertyOptional({ type: LimitsDto }) @Label('申报数量上限') @IsOptional() @ValidateNested() @Type(() => LimitsDto) limits?: LimitsDto;
  @ApiPropertyOptional({ type: [Number], description: "Default: the copied campaign's, moved by the difference in years" })
  @Label(L.pilotYears)
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10, { message: '最多选择10个年度' })
  @IsInt({ each: true, message: '须为年度（如 2026）' })
  @Min(CAMPAIGN_YEAR_MIN - 10, { each: true })
  @Max(CAMPAIGN_YEAR_MAX, { each: true })
  pilotYears?: number[];
}

export class CampaignTaskDto {
  @ApiProperty({ example: 'T1', description: '任务编号: a capital letter, then up to 7 capitals or digits' })
  @Label('任务编号')
  @IsString()
  @Matches(TASK_CODE_PATTERN, { message: '须为大写字母开头、最多8位的大写字母或数字（如 T1）' })
  code!: string;
  @ApiProperty({ enum: DIRECTION_CODES, description: '方向：技术赋能 / 链式转型 / 载体赋能' }) @Label(L.direction) @IsIn(DIRECTION_CODES) direction!: 'TECH' | 'CHAIN' | 'CARRIER';
  @ApiProperty({ maxLength: TASK_NAME_MAX }) @Label('任务名称') @IsString() @NotBlank() @MaxLength(TASK_NAME_MAX) name!: string;
  @ApiProperty({ maxLength: TASK_SUMMARY_MAX, description: '任务简介' }) @Label(L.summary) @IsString() @MaxLength(TASK_SUMMARY_MAX) summary!: string;
  @ApiProperty({ description: 'Winners also enter the provincial reserve pool (储备库)' }) @Label(L.entersReservePool) @IsBoolean() entersReservePool!: boolean;
}

export class CampaignTasksDto {
  @Label(L.tasks)
  @ListOf(CampaignTaskDto, { min: [1, '榜单至少需要一项任务'], max: [CAMPAIGN_TASKS_MAX, `榜单最多${CAMPAIGN_TASKS_MAX}项任务`] })
  tasks!: CampaignTaskDto[];
}

export class CityQuotaInputDto {
  @ApiProperty({ description: 'City code (GB/T 2260)' }) @Label('所在市') @Matches(/^\d{6}$/, { message: '须为6位行政区划代码' }) cityCode!: string;
  @ApiProperty({ minimum: 0, maximum: 10000 }) @Label('推荐名额') @IsInt() @Min(0) @Max(10000) quota!: number;
}

export class SetQuotasDto {
  @Label(L.quotas) @ListOf(CityQuotaInputDto, { min: [1, '请至少填写一个市的推荐名额'], max: [100, '一次最多100个市'] }) quotas!: CityQuotaInputDto[];
  @ApiPropertyOptional({ description: '原因（审计）' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

/** A task of the campaign's 榜单 as read: the reference's task fields, its direction's name and its summary. */
export class CampaignTaskViewDto extends TaskRefDto {
  directionName!: string;
  summary!: string;
}

export class CampaignTasksViewDto {
  campaignId!: string;
  @ApiProperty({ description: 'Whether the 榜单 may still change (the campaign has not opened)' }) editable!: boolean;
  @ApiProperty({ type: [CampaignTaskViewDto] }) tasks!: CampaignTaskViewDto[];
}

export class OpenCampaignDto {
  @ApiPropertyOptional({ maxLength: 500, description: '说明（审计），如开放申报的通知文号' }) @IsOptional() @IsString() @MaxLength(500) note?: string;
}
