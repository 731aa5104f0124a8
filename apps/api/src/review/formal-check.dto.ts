import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { choiceValues, FORMAL_CHECK_DECISIONS, MAX_COMMENT } from '@jiebang/domain';
import { IsOptional, ListOf } from '../common/validation';
import { BulkItemResultDto, BulkPreviewDto, BulkPreviewItemDto, BulkResultDto } from '../actions/bulk.dto';

export class FormalCheckItemDto {
  @ApiProperty({ example: 'JB2026P-000001' })
  @IsString()
  @Matches(/^JB[A-Z0-9]{1,20}-[A-Z0-9]{1,12}$/, { message: '须为申报编号（如 JB2026-000001）' })
  applicationId!: string;

  @ApiProperty({ enum: choiceValues(FORMAL_CHECK_DECISIONS), description: 'PASS (通过) or FAIL (不通过; a reason required, the applicant is told)' })
  @IsIn(choiceValues(FORMAL_CHECK_DECISIONS), { message: '形式审查结论须为通过或不通过' })
  decision!: 'PASS' | 'FAIL';

  @ApiPropertyOptional({ maxLength: MAX_COMMENT, description: '不通过的理由 (required with FAIL)' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_COMMENT, { message: `理由不能超过${MAX_COMMENT}字` })
  comment?: string;
}

export class FormalCheckBatchDto {
  @ListOf(FormalCheckItemDto, { min: [1, '请至少选择一个申报项目'], max: [200, '一次最多审查200个项目'], description: '1–200 applications, each with its decision' })
  items!: FormalCheckItemDto[];
}

export class FormalCheckPreviewItemDto extends BulkPreviewItemDto {
  @ApiProperty({ enum: ['PASS', 'FAIL'] }) decision!: string;
}

export class FormalCheckPreviewDto extends BulkPreviewDto(FormalCheckPreviewItemDto) {}

export class FormalCheckResultItemDto extends BulkItemResultDto {
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The refusal, in Chinese' }) declare message: string | null;
}

export class FormalCheckResultDto extends BulkResultDto(FormalCheckPreviewDto, FormalCheckResultItemDto) {}
