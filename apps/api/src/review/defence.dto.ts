import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsObject, IsString, IsUrl, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { MAX_COMMENT, RUBRIC_MAX_CRITERIA } from '@jiebang/domain';
import { ApplicationRefDto } from '../common/application-ref.dto';
import { ApplicationNumbersField } from '../common/fields';
import { Label } from '../common/labels';
import { IsShanghaiDateTime } from '../common/time';
import { IsOptional, NotBlank } from '../common/validation';
import { RubricCriterionDto } from './expert-review.dto';

export class DefenceSettingsInputDto {
  @ApiProperty({ type: [RubricCriterionDto], description: '答辩评分细则 (weights add up to 100)' })
  @Label('答辩评分指标')
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(RUBRIC_MAX_CRITERIA)
  @ValidateNested({ each: true })
  @Type(() => RubricCriterionDto)
  criteria!: RubricCriterionDto[];

  @ApiProperty({ minimum: 0, maximum: 100, description: 'The weight of the defence in the ranking, points of 100 (material: the rest)' })
  @Label('答辩成绩权重')
  @IsInt()
  @Min(0)
  @Max(100)
  defenceWeight!: number;
}

export class DefenceSettingsDto {
  @ApiProperty({ type: [RubricCriterionDto] }) criteria!: RubricCriterionDto[];
  @ApiProperty({ description: 'The campaign has none of its own: the default' }) isDefault!: boolean;
  @ApiProperty({ description: 'Defence weight in the ranking (points of 100)' }) defenceWeight!: number;
  @ApiProperty({ description: 'An expert has scored a defence: rubric and weight can no longer change' }) fixed!: boolean;
}

export class CreateDefenceSessionDto {
  @ApiProperty({ maxLength: 100, description: '答辩场次名称' }) @Label('答辩场次名称') @IsString() @NotBlank() @MaxLength(100) title!: string;

  @ApiProperty({ enum: ['ONLINE', 'ONSITE'], description: 'ONLINE (线上, a link) or ONSITE (现场, a venue)' })
  @Label('答辩方式')
  @IsIn(['ONLINE', 'ONSITE'], { message: '答辩方式须为线上或现场' })
  mode!: 'ONLINE' | 'ONSITE';

  @ApiPropertyOptional({ description: 'Meeting link (https), for ONLINE' })
  @Label('会议链接')
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: '会议链接须为 https:// 开头的网址' })
  @MaxLength(500)
  link?: string;

  @ApiPropertyOptional({ description: 'Venue, for ONSITE' }) @Label('答辩地点') @IsOptional() @IsString() @MaxLength(200) venue?: string;

  @ApiProperty({ description: 'Start: ISO 8601 with offset, or "2026-05-20 09:00" (Asia/Shanghai)' })
  @Label('答辩开始时间')
  @IsShanghaiDateTime({ message: '答辩开始时间须为时间（如 2026-05-20 09:00，北京时间）' })
  startsAt!: string;

  @ApiProperty({ description: 'End: ISO 8601 with offset, or "2026-05-20 12:00" (Asia/Shanghai)' })
  @Label('答辩结束时间')
  @IsShanghaiDateTime({ message: '答辩结束时间须为时间（如 2026-05-20 12:00，北京时间）' })
  endsAt!: string;

  @ApplicationNumbersField({ max: 100, min: [1, '请至少选择一个答辩项目'], label: '答辩项目', description: 'Applications heard (1–100)' })
  applicationIds!: string[];

  @ApiProperty({ type: [String], description: 'Experts of the session (1–15 user ids)' })
  @Label('答辩专家')
  @IsArray()
  @ArrayMinSize(1, { message: '请至少选择一位答辩专家' })
  @ArrayMaxSize(15)
  @IsUUID('all', { each: true })
  expertIds!: string[];
}

export class ConfirmDefenceDto {
  @ApiPropertyOptional({ maxLength: 200, description: '参加人员或说明（选填）' }) @Label('参加人员或说明') @IsOptional() @IsString() @MaxLength(200) note?: string;
}

export class AttendanceDto {
  @ApiProperty({ enum: ['PRESENT', 'ABSENT'], description: '出席 or 缺席' }) @Label('出席情况') @IsIn(['PRESENT', 'ABSENT'], { message: '出席情况须为出席或缺席' }) attendance!: 'PRESENT' | 'ABSENT';
}

export class DefenceScoreInputDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: "Each criterion of the campaign's defence rubric by its key" })
  @Label('答辩评分指标')
  @IsObject()
  criteria!: Record<string, number>;

  @ApiProperty({ maxLength: MAX_COMMENT, description: '答辩评审意见' }) @Label('答辩评审意见') @IsString() @NotBlank() @MaxLength(MAX_COMMENT) comment!: string;
}

export class DefenceScoreDto {
  @ApiProperty() expertId!: string;
  @ApiProperty() expertName!: string;
  @ApiProperty() score!: number;
  @ApiProperty() comment!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) criteria!: Record<string, number>;
}

export class DefenceEntryDto extends ApplicationRefDto {
  @ApiProperty() cityName!: string;
  @ApiProperty() taskName!: string;
  @ApiProperty() stage!: string;
  @ApiProperty() stageLabel!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: "The applicant's confirmation" }) confirmedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, enum: ['PRESENT', 'ABSENT'] }) attendance!: 'PRESENT' | 'ABSENT' | null;
  @ApiProperty({ description: 'Experts who have scored' }) scored!: number;
  @ApiProperty({ description: 'Experts of the session' }) experts!: number;
  @ApiProperty({ type: [DefenceScoreDto], description: 'All scores (province), the own one (expert), none (applicant)' }) scores!: DefenceScoreDto[];
}

export class DefenceExpertDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class DefenceSessionDto {
  @ApiProperty() id!: string;
  @ApiProperty() number!: number;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['ONLINE', 'ONSITE'] }) mode!: string;
  @ApiProperty() modeLabel!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) link!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) venue!: string | null;
  @ApiProperty() startsAt!: string;
  @ApiProperty() endsAt!: string;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ type: [DefenceExpertDto] }) experts!: DefenceExpertDto[];
  @ApiProperty({ type: [DefenceEntryDto] }) entries!: DefenceEntryDto[];
}
