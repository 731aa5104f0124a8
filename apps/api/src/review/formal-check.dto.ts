import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FORMAL_CHECK_DECISIONS } from '@jiebang/domain';
import { ApplicationNumberField, ChoiceField, OptionalCommentField } from '../common/fields';
import { ListOf } from '../common/validation';
import { BulkItemResultDto, BulkPreviewDto, BulkResultDto } from '../actions/bulk.dto';
import { ApplicationRefDto } from '../common/application-ref.dto';

export class FormalCheckItemDto {
  @ApplicationNumberField() applicationId!: string;

  @ChoiceField(FORMAL_CHECK_DECISIONS, 'PASS (通过) or FAIL (不通过; a reason required, the applicant is told)', '形式审查结论须为通过或不通过')
  decision!: 'PASS' | 'FAIL';

  @OptionalCommentField('不通过的理由 (required with FAIL)') comment?: string;
}

export class FormalCheckBatchDto {
  @ListOf(FormalCheckItemDto, { min: [1, '请至少选择一个申报项目'], max: [200, '一次最多审查200个项目'], description: '1–200 applications, each with its decision' })
  items!: FormalCheckItemDto[];
}

export class FormalCheckPreviewItemDto extends ApplicationRefDto {
  @ApiProperty({ enum: ['PASS', 'FAIL'] }) decision!: string;
  @ApiProperty({ description: 'The check can be made now' }) eligible!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why it would be refused (Chinese)' }) reason!: string | null;
}

export class FormalCheckPreviewDto extends BulkPreviewDto(FormalCheckPreviewItemDto) {}

export class FormalCheckResultItemDto extends BulkItemResultDto {
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The refusal, in Chinese' }) declare message: string | null;
}

export class FormalCheckResultDto extends BulkResultDto(FormalCheckPreviewDto, FormalCheckResultItemDto) {}
