import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONCURRENCES, SELECTION_DECISIONS } from '@jiebang/domain';
import { BulkPreviewDto } from '../actions/bulk.dto';
import { ApplicationTaskRefDto } from '../common/application-ref.dto';
import { ApplicationNumberField, ChoiceField, OptionalCommentField } from '../common/fields';
import { Label } from '../common/labels';
import { IsShanghaiDateTime } from '../common/time';
import { ListOf, NotBlank } from '../common/validation';
import { FormalCheckResultItemDto } from './formal-check.dto';

export class SelectionItemDto {
  @ApplicationNumberField() applicationId!: string;

  @ChoiceField(SELECTION_DECISIONS, 'SELECT (入围) or NOT_SELECT (不入围; a reason required)', '入围意见须为入围或不入围')
  decision!: 'SELECT' | 'NOT_SELECT';

  @OptionalCommentField('不入围理由 (required with NOT_SELECT)') comment?: string;
}

export class SelectionListInputDto {
  @Label('入围名单项目')
  @ListOf(SelectionItemDto, { min: [1, '请至少选择一个申报项目'], max: [500, '一份入围名单最多500个项目'], description: '1–500 applications of any tasks, each with its decision' })
  items!: SelectionItemDto[];

  @OptionalCommentField("名单说明 (on each application's timeline)") comment?: string;
}

export class SelectionConcurrenceDto {
  @ChoiceField(CONCURRENCES, 'CONCUR (同意) or DISAGREE (不同意; a reason required): for the whole list', '会签意见须为同意或不同意')
  decision!: 'CONCUR' | 'DISAGREE';

  @OptionalCommentField('不同意的理由 (required with DISAGREE)') comment?: string;
}

export class SelectionPublicityDto {
  @ApiProperty({ description: 'End of the publicity for the whole list: ISO 8601 with offset, or "2026-06-30 17:00" (Asia/Shanghai)' })
  @IsShanghaiDateTime({ message: '公示结束时间须为时间（如 2026-06-30 17:00，北京时间）' })
  @NotBlank()
  endsAt!: string;
}

export class SelectionPreviewItemDto extends ApplicationTaskRefDto {
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Rank in its task by the ranking' }) rank!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) average!: number | null;
  @ApiProperty({ enum: ['SELECT', 'NOT_SELECT'] }) decision!: string;
  @ApiProperty({ description: 'The opinion can be proposed now' }) eligible!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why not (Chinese)' }) reason!: string | null;
}

export class SelectionPreviewDto extends BulkPreviewDto(SelectionPreviewItemDto) {}

export class SelectionEntryDto extends ApplicationTaskRefDto {
  @ApiProperty() cityName!: string;
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
