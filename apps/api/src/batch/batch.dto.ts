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
  @ApiProperty() id!: string;
  @ApiProperty() projectName!: string;
  @ApiProperty() quotaExempt!: boolean;
  @ApiProperty({ description: 'May be recommended now (own city, city review, no opinion pending, before the cut-off)' }) eligible!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) reason!: string | null;
}

export class BatchRecommendPreviewDto {
  @ApiProperty() cityCode!: string;
  @ApiProperty({ description: 'The city quota' }) total!: number;
  @ApiProperty() used!: number;
  @ApiProperty() reserved!: number;
  @ApiProperty({ description: 'Recommendations already awaiting the finance bureau' }) pending!: number;
  @ApiProperty() selected!: number;
  @ApiProperty({ description: 'Selected, eligible and not quota-exempt' }) counting!: number;
  @ApiProperty({ description: 'used + reserved + pending + counting' }) after!: number;
  @ApiProperty() withinQuota!: boolean;
  @ApiProperty({ type: [BatchItemDto] }) items!: BatchItemDto[];
}

export class BatchResultItemDto extends BulkItemResultDto {}

export class BatchRecommendResultDto extends BulkResultDto(BatchRecommendPreviewDto, BatchResultItemDto) {}
