import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Label } from '../common/labels';
import { IsShanghaiDateTime } from '../common/time';
import { ApplicationNumberField, ApplicationNumbersField, OptionalCommentField } from '../common/fields';
import { IsOptional, ListOf, NotBlank } from '../common/validation';
import { BulkItemResultDto, BulkPreviewDto, BulkPreviewItemDto, BulkResultDto } from '../actions/bulk.dto';
import { ApplicationRefDto } from '../common/application-ref.dto';
import { ExpertLoadDto, PanelExpertDto, PlannedPanelDto, UnassignableDto } from './expert-review.dto';

export class AcceptanceRoundInputDto {
  @ApiProperty({ maxLength: 100, description: '验收批次名称' }) @Label('验收批次名称') @IsString() @NotBlank() @MaxLength(100) title!: string;

  @ApplicationNumbersField({ max: 200, min: [1, '请至少选择一个待验收项目'], description: 'The applications in acceptance to take into the round (1–200)' })
  applicationIds!: string[];

  @ApiProperty({ type: [String], description: 'The expert pool to seat the panels from (user ids)' })
  @Label('验收专家') @IsArray() @ArrayMinSize(1, { message: '请至少选择一位验收专家' }) @ArrayMaxSize(200) @IsUUID('all', { each: true, message: '验收专家须为专家账号' })
  expertIds!: string[];

  @ApiProperty({ minimum: 1, maximum: 15, description: 'Experts per application' }) @Label('每个项目的验收专家人数') @IsInt() @Min(1) @Max(15) perApplication!: number;
}

export class AcceptanceRoundPreviewDto {
  @ApiProperty({ type: [PlannedPanelDto] }) panels!: PlannedPanelDto[];
  @ApiProperty({ type: [UnassignableDto], description: 'Applications that cannot enter the round, each with its reason' }) unassignable!: UnassignableDto[];
  @ApiProperty({ type: [ExpertLoadDto] }) loads!: ExpertLoadDto[];
}

export class AcceptanceScoreDto {
  expertId!: string;
  expertName!: string;
  @ApiProperty({ description: 'Which acceptance of the application (2 after one rectification)' }) attempt!: number;
  score!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) criteria!: Record<string, number>;
  comment!: string;
}

export class RectificationDto {
  @ApiProperty({ description: 'The attempt it ended' }) attempt!: number;
  @ApiProperty({ description: '整改后的验收时间' }) dueAt!: string;
  @ApiProperty({ description: '整改要求' }) comment!: string;
}

export class AcceptanceEntryDto extends ApplicationRefDto {
  roundId!: string | null;
  @ApiProperty({ description: 'The campaign (its acceptance rubric)' }) campaignId!: string;
  cityName!: string;
  taskName!: string;
  stage!: string;
  stageLabel!: string;
  @ApiProperty({ nullable: true, type: String, description: 'When acceptance was (or is) due' }) acceptanceDueAt!: string | null;
  @ApiProperty({ description: 'The entry’s attempt: 1, one more after each rectification (a round’s entry is one attempt)' }) attempt!: number;
  @ApiProperty({ nullable: true, enum: ['PASS', 'FAIL', 'RECTIFY'], description: 'The conclusion proposed and awaiting 省财政厅: PASS (通过), FAIL (不通过) or RECTIFY (整改; its due time and requirements below); null when none awaits' })
  awaitingFinance!: 'PASS' | 'FAIL' | 'RECTIFY' | null;
  @ApiProperty({ nullable: true, type: String, description: 'A rectification awaiting 省财政厅: 整改后的验收时间' }) proposedDueAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'A rectification awaiting 省财政厅: 整改要求' }) proposedComment!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When the rectification (concurred by 省财政厅) closed this attempt: the re-acceptance is in a later round' }) rectifiedAt!: string | null;
  @ApiProperty({ type: [PanelExpertDto] }) experts!: PanelExpertDto[];
  @ApiProperty({ type: [AcceptanceScoreDto], description: "The attempt's scores: the province every one; an expert its own only" }) scores!: AcceptanceScoreDto[];
  @ApiProperty({ description: 'Experts who scored the attempt now' }) scored!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Average of the attempt now (the province only)' }) average!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Highest minus lowest of the attempt now (the province only)' }) spread!: number | null;
  @ApiProperty({ type: [RectificationDto] }) rectifications!: RectificationDto[];
}

export class AcceptanceRoundDto {
  id!: string;
  @ApiProperty({ description: 'The round’s number in the campaign' }) number!: number;
  @ApiProperty({ description: '验收批次名称' }) title!: string;
  @ApiProperty({ description: 'Who opened it' }) createdBy!: string;
  @ApiProperty({ description: 'When it was opened' }) createdAt!: string;
  @ApiProperty({ type: [AcceptanceEntryDto] }) entries!: AcceptanceEntryDto[];
}

export class AcceptanceDecisionItemDto {
  @ApplicationNumberField() applicationId!: string;

  @ApiProperty({ enum: ['PASS', 'FAIL', 'RECTIFY'], description: 'PASS (通过), FAIL (不通过; a reason) and RECTIFY (整改; requirements and a new due time) each await 省财政厅; a rectification concurred sends it back to implementation and closes its entry in the round' })
  @Label('验收结论')
  @IsIn(['PASS', 'FAIL', 'RECTIFY'], { message: '验收结论须为通过、不通过或整改' })
  decision!: 'PASS' | 'FAIL' | 'RECTIFY';

  @OptionalCommentField('意见 (required with FAIL: 不通过的理由; with RECTIFY: 整改要求)') comment?: string;

  @ApiPropertyOptional({ description: 'With RECTIFY: 整改后的验收时间, ISO 8601 with offset or "2027-06-30 17:00" (Asia/Shanghai)' })
  @IsOptional()
  @IsShanghaiDateTime()
  newDueAt?: string;
}

export class AcceptanceDecisionBatchDto {
  @ListOf(AcceptanceDecisionItemDto, { min: [1, '请至少选择一个验收项目'], max: [200, '一次最多办理200个项目'], description: '1–200 applications of the round, each with its result' })
  items!: AcceptanceDecisionItemDto[];
}

export class AcceptanceConcurrenceBatchDto {
  @ApplicationNumbersField({ max: 200, min: [1, '请至少选择一个验收项目'], description: 'The round’s applications whose proposed conclusion (pass, fail or rectification) 省财政厅 decides on (1–200)' })
  applicationIds!: string[];

  @ApiProperty({ enum: ['CONCUR', 'DISAGREE'], description: 'CONCUR (同意) or DISAGREE (不同意; a reason)' })
  @Label('会签意见')
  @IsIn(['CONCUR', 'DISAGREE'], { message: '会签意见须为同意或不同意' })
  decision!: 'CONCUR' | 'DISAGREE';

  @OptionalCommentField('意见 (required with DISAGREE: 不同意的理由)') comment?: string;
}

export class AcceptanceStepPreviewItemDto extends BulkPreviewItemDto {
  @ApiProperty({ enum: ['PASS', 'FAIL', 'RECTIFY', 'CONCUR', 'DISAGREE'] }) decision!: string;
  @ApiProperty({ nullable: true, enum: ['PASS', 'FAIL', 'RECTIFY'], description: 'The concurrence preview: the conclusion awaiting 省财政厅 (RECTIFY: 整改, with its due time)' })
  awaitingFinance!: 'PASS' | 'FAIL' | 'RECTIFY' | null;
  @ApiProperty({ nullable: true, type: String, description: 'A rectification awaiting 省财政厅: 整改后的验收时间' }) proposedDueAt!: string | null;
}

export class AcceptanceStepPreviewDto extends BulkPreviewDto(AcceptanceStepPreviewItemDto) {}

export class AcceptanceStepResultDto extends BulkResultDto(AcceptanceStepPreviewDto, BulkItemResultDto) {}
