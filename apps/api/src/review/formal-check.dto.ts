import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { choiceValues, FORMAL_CHECK_DECISIONS, MAX_COMMENT } from '@jiebang/domain';
import { IsOptional } from '../common/validation';

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
  @ApiProperty({ type: [FormalCheckItemDto], description: '1–200 applications, each with its decision' })
  @IsArray()
  @ArrayMinSize(1, { message: '请至少选择一个申报项目' })
  @ArrayMaxSize(200, { message: '一次最多审查200个项目' })
  @ValidateNested({ each: true })
  @Type(() => FormalCheckItemDto)
  items!: FormalCheckItemDto[];
}

export class FormalCheckPreviewItemDto {
  @ApiProperty() applicationId!: string;
  @ApiProperty() projectName!: string;
  @ApiProperty() orgName!: string;
  @ApiProperty({ enum: ['PASS', 'FAIL'] }) decision!: string;
  @ApiProperty({ description: 'The check can be made now' }) eligible!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why it would be refused (Chinese)' }) reason!: string | null;
}

export class FormalCheckPreviewDto {
  @ApiProperty({ type: [FormalCheckPreviewItemDto] }) items!: FormalCheckPreviewItemDto[];
  @ApiProperty() eligible!: number;
  @ApiProperty() refused!: number;
}

export class FormalCheckResultItemDto {
  @ApiProperty() id!: string;
  @ApiProperty() ok!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) stage!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) code!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The refusal, in Chinese' }) message!: string | null;
}

export class FormalCheckResultDto {
  @ApiProperty({ type: FormalCheckPreviewDto }) preview!: FormalCheckPreviewDto;
  @ApiProperty({ type: [FormalCheckResultItemDto] }) results!: FormalCheckResultItemDto[];
  @ApiProperty() succeeded!: number;
  @ApiProperty() failed!: number;
}
