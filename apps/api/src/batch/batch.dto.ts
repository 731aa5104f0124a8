import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches, MaxLength } from 'class-validator';
import { IsOptional } from '../common/validation';
import { BulkItemResultDto, BulkResultDto } from '../actions/bulk.dto';

export class BatchRecommendDto {
  @ApiProperty({ type: [String], description: 'Application numbers (1–100)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Matches(/^JB[A-Z0-9]{1,20}-[A-Z0-9]{1,12}$/, { each: true, message: '须为申报编号（如 JB2026-000001）' })
  applicationIds!: string[];

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
