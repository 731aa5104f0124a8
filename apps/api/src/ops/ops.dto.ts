import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ApplicationNumbersField } from '../common/fields';
import { IsOptional } from '../common/validation';
import { STAGES } from '@jiebang/domain';
import { PageMetaDto, PageQueryDto } from '../common/paging';
import { STUCK_REASONS } from './stuck.service';
import { Label } from '../common/labels';
import { NotBlank } from '../common/validation';

export class StuckQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STUCK_REASONS }) @Label('卡住原因') @IsOptional() @IsIn(STUCK_REASONS) reason?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{6}$/, { message: '须为6位行政区划代码' }) cityCode?: string;
  @ApiPropertyOptional({ enum: STAGES }) @IsOptional() @IsIn(STAGES) stage?: string;
  @ApiPropertyOptional({ description: 'Scan now instead of using a result up to 30 s old' })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  refresh?: boolean;
}

export class FindingDto {
  @ApiProperty({ enum: STUCK_REASONS }) reason!: string;
  @ApiProperty() reasonLabel!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty({ enum: ['application', 'batch'] }) kind!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) applicationId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) stage!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) stageLabel!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) cityCode!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) cityName!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) stageEnteredAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) ageHours!: number | null;
  @ApiProperty() detail!: string;
  @ApiProperty({ type: Object }) data!: Record<string, unknown>;
  @ApiProperty({ type: [String], enum: ['RESYNC', 'RETRY', 'SIGNAL', 'TERMINATE'] }) repairs!: string[];
  @ApiPropertyOptional({ nullable: true, type: String }) temporalUrl!: string | null;
}

export class CountDto {
  @ApiProperty() key!: string;
  @ApiProperty() label!: string;
  @ApiProperty() count!: number;
}

export class StuckPageDto extends PageMetaDto {
  @ApiProperty() scannedAt!: string;
  @ApiProperty({ type: [CountDto] }) byReason!: CountDto[];
  @ApiProperty({ type: [CountDto] }) byCity!: CountDto[];
  @ApiProperty({ type: [CountDto] }) byStage!: CountDto[];
  @ApiProperty({ type: [FindingDto] }) items!: FindingDto[];
}

export class RepairDto {
  @ApiProperty({ enum: ['RESYNC', 'RETRY', 'SIGNAL', 'TERMINATE'] }) @Label('处理方式') @IsIn(['RESYNC', 'RETRY', 'SIGNAL', 'TERMINATE']) kind!: 'RESYNC' | 'RETRY' | 'SIGNAL' | 'TERMINATE';
  @ApiProperty({ description: '原因（必填，审计）' }) @IsString() @NotBlank() @MaxLength(500) reason!: string;
}

export class RepairResultDto {
  @ApiProperty() kind!: string;
  @ApiProperty() applicationId!: string;
  @ApiProperty() done!: boolean;
  @ApiProperty() message!: string;
  @ApiProperty({ type: Object }) detail!: Record<string, unknown>;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'A destructive repair waits for PROVINCE_IT: the request to confirm' }) requestId?: string | null;
}

export class RepairRequestDto {
  @ApiProperty() id!: string;
  @ApiProperty() applicationId!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) projectName!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) stageLabel!: string | null;
  @ApiProperty({ enum: ['TERMINATE', 'RESET'] }) kind!: 'TERMINATE' | 'RESET';
  @ApiProperty() kindLabel!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ description: 'What the stuck scan found (in Chinese)' }) finding!: string;
  @ApiProperty({ enum: ['PENDING', 'CONFIRMED', 'REJECTED', 'FAILED'] }) status!: 'PENDING' | 'CONFIRMED' | 'REJECTED' | 'FAILED';
  @ApiProperty() statusLabel!: string;
  @ApiProperty() requestedByName!: string;
  @ApiProperty() requestedAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedByName!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) decisionNote!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) resultMessage!: string | null;
}

export class RepairRequestQueryDto {
  @ApiPropertyOptional({ enum: ['PENDING', 'CONFIRMED', 'REJECTED', 'FAILED'] })
  @Label('状态')
  @IsOptional()
  @IsIn(['PENDING', 'CONFIRMED', 'REJECTED', 'FAILED'])
  status?: 'PENDING' | 'CONFIRMED' | 'REJECTED' | 'FAILED';
}

export class ConfirmRepairDto {
  @ApiPropertyOptional({ description: '说明（审计）' }) @IsOptional() @IsString() @NotBlank() @MaxLength(500) note?: string;
}

export class RejectRepairDto {
  @ApiProperty({ description: '驳回原因（审计）' }) @IsString() @NotBlank() @MaxLength(500) reason!: string;
}

export class ThresholdDto {
  @ApiProperty() stage!: string;
  @ApiProperty() stageLabel!: string;
  @ApiProperty() hours!: number;
}

export class SetThresholdDto {
  @ApiProperty({ minimum: 1, maximum: 24 * 366 }) @IsInt() @Min(1) @Max(24 * 366) hours!: number;
}

export class BatchSignalDto {
  @ApplicationNumbersField({ max: 5000, description: 'Applications to signal (1–5000)' }) applicationIds!: string[];

  @ApiProperty({ description: '原因（必填，审计）' }) @IsString() @NotBlank() @MaxLength(500) reason!: string;
}

export class BatchSignalPreviewDto {
  @ApiProperty() selected!: number;
  @ApiProperty({ description: 'Existing applications among them' }) found!: number;
  @ApiProperty({ description: 'Of those, still open (their workflows will receive the signal)' }) open!: number;
  @ApiProperty({ type: [String] }) unknown!: string[];
}

export class JobStartedDto {
  @ApiProperty() jobId!: string;
}
