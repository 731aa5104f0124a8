import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { choiceValues, CONCURRENCES, MAX_COMMENT, SELECTION_DECISIONS } from '@jiebang/domain';
import { Label } from '../common/labels';
import { IsShanghaiDateTime } from '../common/time';
import { IsOptional, NotBlank } from '../common/validation';
import { FormalCheckResultItemDto } from './formal-check.dto';

export class SelectionItemDto {
  @ApiProperty({ example: 'JB2026P-000001' })
  @IsString()
  @Matches(/^JB[A-Z0-9]{1,20}-[A-Z0-9]{1,12}$/, { message: '须为申报编号（如 JB2026-000001）' })
  applicationId!: string;

  @ApiProperty({ enum: choiceValues(SELECTION_DECISIONS), description: 'SELECT (入围) or NOT_SELECT (不入围; a reason required)' })
  @IsIn(choiceValues(SELECTION_DECISIONS), { message: '入围意见须为入围或不入围' })
  decision!: 'SELECT' | 'NOT_SELECT';

  @ApiPropertyOptional({ maxLength: MAX_COMMENT, description: '不入围理由 (required with NOT_SELECT)' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_COMMENT)
  comment?: string;
}

export class SelectionListInputDto {
  @ApiProperty({ type: [SelectionItemDto], description: '1–500 applications of any tasks, each with its decision' })
  @Label('入围名单项目')
  @IsArray()
  @ArrayMinSize(1, { message: '请至少选择一个申报项目' })
  @ArrayMaxSize(500, { message: '一份入围名单最多500个项目' })
  @ValidateNested({ each: true })
  @Type(() => SelectionItemDto)
  items!: SelectionItemDto[];

  @ApiPropertyOptional({ maxLength: MAX_COMMENT, description: '名单说明 (on each application\'s timeline)' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_COMMENT)
  comment?: string;
}

export class SelectionConcurrenceDto {
  @ApiProperty({ enum: choiceValues(CONCURRENCES), description: 'CONCUR (同意) or DISAGREE (不同意; a reason required): for the whole list' })
  @IsIn(choiceValues(CONCURRENCES), { message: '会签意见须为同意或不同意' })
  decision!: 'CONCUR' | 'DISAGREE';

  @ApiPropertyOptional({ maxLength: MAX_COMMENT, description: '不同意的理由 (required with DISAGREE)' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_COMMENT)
  comment?: string;
}

export class SelectionPublicityDto {
  @ApiProperty({ description: 'End of the publicity for the whole list: ISO 8601 with offset, or "2026-06-30 17:00" (Asia/Shanghai)' })
  @IsShanghaiDateTime({ message: '公示结束时间须为时间（如 2026-06-30 17:00，北京时间）' })
  @NotBlank()
  endsAt!: string;
}

export class SelectionPreviewItemDto {
  @ApiProperty() applicationId!: string;
  @ApiProperty() projectName!: string;
  @ApiProperty() orgName!: string;
  @ApiProperty() taskCode!: string;
  @ApiProperty() taskName!: string;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Rank in its task by the ranking' }) rank!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) average!: number | null;
  @ApiProperty({ enum: ['SELECT', 'NOT_SELECT'] }) decision!: string;
  @ApiProperty({ description: 'The opinion can be proposed now' }) eligible!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why not (Chinese)' }) reason!: string | null;
}

export class SelectionPreviewDto {
  @ApiProperty({ type: [SelectionPreviewItemDto] }) items!: SelectionPreviewItemDto[];
  @ApiProperty() eligible!: number;
  @ApiProperty() refused!: number;
}

export class SelectionEntryDto {
  @ApiProperty() applicationId!: string;
  @ApiProperty() projectName!: string;
  @ApiProperty() orgName!: string;
  @ApiProperty() cityName!: string;
  @ApiProperty() taskCode!: string;
  @ApiProperty() taskName!: string;
  @ApiProperty({ enum: ['SELECT', 'NOT_SELECT'] }) decision!: string;
  @ApiPropertyOptional({ nullable: true, type: Number }) rank!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) average!: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) comment!: string | null;
  @ApiProperty({ description: 'The stage now' }) stage!: string;
  @ApiProperty() stageLabel!: string;
}

export class SelectionListDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: '第n批' }) number!: number;
  @ApiProperty({ enum: ['PROPOSED', 'CONCURRED', 'DISAGREED', 'PUBLICITY'] }) status!: string;
  @ApiProperty({ description: '待省财政厅会签 / 省财政厅已同意 / 省财政厅不同意 / 公示中' }) statusLabel!: string;
  @ApiProperty() proposedBy!: string;
  @ApiProperty() proposedAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) comment!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) financeBy!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) financeAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) financeComment!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) publicityOpenedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The one end of the publicity of the list' }) publicityEndsAt!: string | null;
  @ApiProperty({ type: [SelectionEntryDto] }) entries!: SelectionEntryDto[];
}

export class SelectionStepDto {
  @ApiProperty({ type: SelectionListDto }) list!: SelectionListDto;
  @ApiProperty({ type: [FormalCheckResultItemDto], description: "Each application's own action" }) results!: FormalCheckResultItemDto[];
  @ApiProperty() succeeded!: number;
  @ApiProperty() failed!: number;
}
