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
  reasonLabel!: string;
  workflowId!: string;
  @ApiProperty({ enum: ['application', 'batch', 'campaign', 'queue'] }) kind!: string;
  applicationId!: string | null;
  stage!: string | null;
  stageLabel!: string | null;
  cityCode!: string | null;
  cityName!: string | null;
  stageEnteredAt!: string | null;
  ageHours!: number | null;
  detail!: string;
  @ApiProperty({ type: Object }) data!: Record<string, unknown>;
  @ApiProperty({ type: [String], enum: ['RESYNC', 'RETRY', 'SIGNAL', 'TERMINATE'] }) repairs!: string[];
  temporalUrl!: string | null;
}

export class CountDto {
  key!: string;
  label!: string;
  count!: number;
}

export class StuckScanDto {
  @ApiProperty({ description: 'How long the scan took (ms)' }) ms!: number;
  @ApiProperty({ description: 'Open projection rows read' }) projectionRows!: number;
  @ApiProperty({ description: 'Running application workflows listed from visibility' }) workflowsListed!: number;
  @ApiProperty({ description: 'DescribeWorkflowExecution calls made: suspects and batch jobs only' }) described!: number;
}

export class StuckPageDto extends PageMetaDto {
  scannedAt!: string;
  @ApiProperty({ type: StuckScanDto, description: 'What the scan behind this page cost' }) scan!: StuckScanDto;
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
  kind!: string;
  applicationId!: string;
  done!: boolean;
  message!: string;
  @ApiProperty({ type: Object }) detail!: Record<string, unknown>;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'A destructive repair waits for PROVINCE_IT: the request to confirm' }) requestId?: string | null;
}

export class RepairRequestDto {
  id!: string;
  applicationId!: string;
  projectName!: string | null;
  stageLabel!: string | null;
  @ApiProperty({ enum: ['TERMINATE', 'RESET'] }) kind!: 'TERMINATE' | 'RESET';
  kindLabel!: string;
  reason!: string;
  @ApiProperty({ description: 'What the stuck scan found (in Chinese)' }) finding!: string;
  @ApiProperty({ enum: ['PENDING', 'CONFIRMED', 'REJECTED', 'FAILED'] }) status!: 'PENDING' | 'CONFIRMED' | 'REJECTED' | 'FAILED';
  statusLabel!: string;
  requestedByName!: string;
  requestedAt!: string;
  decidedByName!: string | null;
  decidedAt!: string | null;
  decisionNote!: string | null;
  resultMessage!: string | null;
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
  stage!: string;
  stageLabel!: string;
  hours!: number;
}

export class SetThresholdDto {
  @ApiProperty({ minimum: 1, maximum: 24 * 366 }) @IsInt() @Min(1) @Max(24 * 366) hours!: number;
}

export class BatchSignalDto {
  @ApplicationNumbersField({ max: 5000, description: 'Applications to signal (1–5000)' }) applicationIds!: string[];

  @ApiProperty({ description: '原因（必填，审计）' }) @IsString() @NotBlank() @MaxLength(500) reason!: string;
}

export class BatchSignalPreviewDto {
  selected!: number;
  @ApiProperty({ description: 'Existing applications among them' }) found!: number;
  @ApiProperty({ description: 'Of those, still open (their workflows will receive the signal)' }) open!: number;
  @ApiProperty({ type: [String] }) unknown!: string[];
}

export class JobStartedDto {
  jobId!: string;
}
