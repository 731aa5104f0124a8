import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { ApplicationNumbersField } from '../common/fields';
import { Label } from '../common/labels';
import { IsOptional, NotBlank } from '../common/validation';

/** The bulk actions of the reviewers' lists, as the path names them. */
export const BULK_KINDS = ['county-approval', 'city-finance-concurrence', 'paper-receipt'] as const;
export type BulkKind = (typeof BULK_KINDS)[number];

export class BulkActionDto {
  @ApplicationNumbersField({ max: 100, description: 'Application numbers (1–100)', label: '所选申报' }) applicationIds!: string[];
  @ApiPropertyOptional({ maxLength: 2000, description: "意见: each application's comment (optional)" })
  @Label('意见')
  @IsOptional()
  @IsString()
  @NotBlank()
  @MaxLength(2000)
  comment?: string;
}

/** One selected application: may it be taken now, else why not (only what the caller may see is named). */
export class BulkActionItemDto {
  @ApiProperty({ description: 'Application number' }) id!: string;
  @ApiProperty({ description: "The project's name (empty for one the caller may not see)" }) projectName!: string;
  @ApiProperty() eligible!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why not (Chinese)' }) reason!: string | null;
}

export class BulkActionPreviewDto {
  @ApiProperty({ enum: BULK_KINDS }) kind!: BulkKind;
  @ApiProperty({ description: 'The action in words (县级审核通过 …)' }) actionLabel!: string;
  @ApiProperty({ type: [BulkActionItemDto] }) items!: BulkActionItemDto[];
  @ApiProperty() eligible!: number;
  @ApiProperty() refused!: number;
}

export class BulkJobStartedDto {
  @ApiProperty({ description: 'The job to follow (GET /api/v1/bulk-actions/jobs/{jobId}); the same Idempotency-Key answers the same job' }) jobId!: string;
}

/** One application's outcome. */
export class BulkJobResultDto {
  @ApiProperty() id!: string;
  @ApiProperty() projectName!: string;
  @ApiProperty() ok!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The stage after the action, in words' }) stageLabel!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why it was refused (Chinese)' }) reason!: string | null;
}

export class BulkJobDto {
  @ApiProperty() id!: string;
  @ApiProperty() actionLabel!: string;
  @ApiProperty({ enum: ['PENDING', 'RUNNING', 'DONE', 'FAILED'] }) status!: string;
  @ApiProperty({ description: '等待开始 / 进行中 / 已完成 / 失败' }) statusLabel!: string;
  @ApiProperty() total!: number;
  @ApiProperty({ description: 'Items processed so far' }) done!: number;
  @ApiProperty() succeeded!: number;
  @ApiProperty() failed!: number;
  @ApiProperty({ type: [BulkJobResultDto], description: 'Each processed item in order' }) results!: BulkJobResultDto[];
}
