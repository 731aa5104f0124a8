import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { ApplicationNumbersField } from '../common/fields';
import { IsOptional } from '../common/validation';
import { BulkItemResultDto, BulkResultDto } from '../actions/bulk.dto';

export class BatchRecommendDto {
  @ApplicationNumbersField({ max: 100, description: 'Application numbers (1–100)' }) applicationIds!: string[];

  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

export class BatchItemDto {
  id!: string;
  projectName!: string;
  quotaExempt!: boolean;
  @ApiProperty({ description: 'May be recommended now (own city, city review, no opinion pending, before the cut-off)' }) eligible!: boolean;
  reason!: string | null;
}

export class BatchRecommendPreviewDto {
  cityCode!: string;
  @ApiProperty({ description: 'The city quota' }) total!: number;
  used!: number;
  reserved!: number;
  @ApiProperty({ description: 'Recommendations already awaiting the finance bureau' }) pending!: number;
  selected!: number;
  @ApiProperty({ description: 'Selected, eligible and not quota-exempt' }) counting!: number;
  @ApiProperty({ description: 'used + reserved + pending + counting' }) after!: number;
  withinQuota!: boolean;
  @ApiProperty({ type: [BatchItemDto] }) items!: BatchItemDto[];
}

export class BatchResultItemDto extends BulkItemResultDto {}

export class BatchRecommendResultDto extends BulkResultDto(BatchRecommendPreviewDto, BatchResultItemDto) {}
