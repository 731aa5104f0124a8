import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsObject, IsString, IsUUID, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { MAX_COMMENT, RUBRIC_MAX_CRITERIA, TASK_CODE_PATTERN } from '@jiebang/domain';
import { IsOptional, ListOf, NotBlank } from '../common/validation';
import { BulkResultDto } from '../actions/bulk.dto';
import { ApplicationRefDto } from '../common/application-ref.dto';

export class ExpertTieInputDto {
  @ApiProperty({ description: '关联单位的统一社会信用代码 (18 characters)' }) @IsString() @Length(18, 18, { message: '统一社会信用代码须为18位' }) creditCode!: string;
  @ApiProperty({ description: '关联单位名称' }) @IsString() @NotBlank() @MaxLength(200) orgName!: string;
  @ApiPropertyOptional({ description: '关联关系说明（任职、持股、近三年合作等）' }) @IsOptional() @IsString() @MaxLength(500) note?: string;
}

export class SetExpertTiesDto {
  @ListOf(ExpertTieInputDto, { max: [50, '一次最多声明50个关联单位'], description: 'The whole declaration (0–50 organisations); it replaces the earlier one' })
  ties!: ExpertTieInputDto[];
}

export class ExpertTieDto {
  creditCode!: string;
  orgName!: string;
  note!: string | null;
  declaredAt!: string;
}

export class RubricCriterionDto {
  @ApiProperty({ description: 'Stable key (letters, digits, underscore)', example: 'technology' }) @IsString() @MaxLength(32) key!: string;
  @ApiProperty({ description: '评分指标名称' }) @IsString() @NotBlank() @MaxLength(50) label!: string;
  @ApiProperty({ minimum: 1, maximum: 100, description: '满分' }) @IsInt() @Min(1) @Max(100) max!: number;
  @ApiProperty({ minimum: 1, maximum: 100, description: '权重 (the weights add up to 100)' }) @IsInt() @Min(1) @Max(100) weight!: number;
}

export class SetRubricDto {
  @ListOf(RubricCriterionDto, { min: [1, '评分细则至少包含一项评分指标'], max: [RUBRIC_MAX_CRITERIA, `评分指标不超过${RUBRIC_MAX_CRITERIA}项`] })
  criteria!: RubricCriterionDto[];
}

export class RubricDto {
  @ApiProperty({ type: [RubricCriterionDto] }) criteria!: RubricCriterionDto[];
  @ApiProperty({ description: "The campaign has none of its own: the 2026 default" }) isDefault!: boolean;
  @ApiProperty({ description: 'An expert has scored by it: it can no longer change' }) fixed!: boolean;
}

export class AssignmentDto {
  @ApiProperty({ description: "榜单任务: a task code of the campaign's 榜单" }) @Matches(TASK_CODE_PATTERN, { message: '请选择榜单任务' }) taskCode!: string;
  @ApiProperty({ type: [String], description: 'The expert pool to draw from (user ids)' })
  @IsArray()
  @ArrayMinSize(1, { message: '请至少选择一位评审专家' })
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true, message: '评审专家须为专家账号' })
  expertIds!: string[];
  @ApiProperty({ minimum: 1, maximum: 15, description: 'Experts per application' }) @IsInt() @Min(1) @Max(15) perApplication!: number;
}

export class PanelExpertDto {
  id!: string;
  name!: string;
}

export class PlannedPanelDto extends ApplicationRefDto {
  @ApiProperty({ type: [PanelExpertDto] }) experts!: PanelExpertDto[];
  @ApiProperty({ type: [PanelExpertDto], description: 'Experts of the pool left out because they declared a tie to the organisation (回避)' }) recused!: PanelExpertDto[];
}

export class UnassignableDto {
  applicationId!: string;
  projectName!: string;
  @ApiProperty({ description: 'Why no panel can be seated (Chinese)' }) reason!: string;
}

export class ExpertLoadDto {
  expertId!: string;
  name!: string;
  @ApiProperty({ description: 'Panels in the campaign after the plan' }) load!: number;
}

export class AssignmentPreviewDto {
  taskCode!: string;
  @ApiProperty({ type: [PlannedPanelDto] }) panels!: PlannedPanelDto[];
  @ApiProperty({ type: [UnassignableDto] }) unassignable!: UnassignableDto[];
  @ApiProperty({ type: [ExpertLoadDto] }) loads!: ExpertLoadDto[];
}

export class AssignmentResultItemDto {
  id!: string;
  ok!: boolean;
  code!: string | null;
  message!: string | null;
}

export class AssignmentResultDto extends BulkResultDto(AssignmentPreviewDto, AssignmentResultItemDto) {}

export class RubricScoreDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'Each criterion of the campaign rubric by its key: 0 to its maximum, two decimals at most', example: { technology: 85 } })
  @IsObject({ message: '请按评分细则逐项评分' })
  criteria!: Record<string, number>;
  @ApiProperty({ maxLength: MAX_COMMENT, description: '评审意见' }) @IsString() @NotBlank() @MaxLength(MAX_COMMENT) comment!: string;
}

export class RankingScoreDto {
  expertId!: string;
  expertName!: string;
  score!: number | null;
  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: { type: 'number' }, description: 'Criterion scores by key (rubric scoring)' }) criteria!: Record<string, number> | null;
}

export class RankingEntryDto {
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'By average, highest first; equal averages share a rank; none while unscored' }) rank!: number | null;
  applicationId!: string;
  projectName!: string;
  orgName!: string;
  cityName!: string;
  stage!: string;
  stageLabel!: string;
  @ApiProperty({ type: [RankingScoreDto] }) scores!: RankingScoreDto[];
  average!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Highest minus lowest score' }) spread!: number | null;
  @ApiPropertyOptional({ nullable: true, enum: ['SCHEDULED', 'ABSENT', 'SCORED'], description: 'The defence (答辩), when it was given one' }) defenceStatus!: 'SCHEDULED' | 'ABSENT' | 'SCORED' | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Average of the defence scores' }) defenceAverage!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Ranked by: material and defence by the weights (an absence counts 0); null while due' }) combined!: number | null;
  scored!: number;
  assigned!: number;
}

export class RankingQueryDto {
  @ApiPropertyOptional({ description: "榜单任务: a task code of the campaign's 榜单; without it, the first task of that 榜单" })
  @IsOptional()
  @Matches(TASK_CODE_PATTERN, { message: '请选择榜单任务' })
  taskCode?: string;
}

export class RankingDto {
  @ApiProperty({ description: 'Defence weight in the combined score (points of 100)' }) defenceWeight!: number;
  taskCode!: string;
  taskName!: string;
  @ApiProperty({ type: [RubricCriterionDto] }) rubric!: RubricCriterionDto[];
  @ApiProperty({ type: [RankingEntryDto] }) entries!: RankingEntryDto[];
}
