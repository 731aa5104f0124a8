import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { IMPORT_KINDS, ROW_RESULTS, type ImportKindName, type RowResult } from './import-kind';
import { Label } from '../common/labels';
import { IsOptional } from '../common/validation';

export class ImportKindParamDto {
  @ApiProperty({ enum: IMPORT_KINDS, description: 'quotas 市级推荐名额 (per campaign), pilots 往年试点项目名单, groups 集团名录, staff 工作人员账号' })
  @Label('导入类别')
  @IsIn(IMPORT_KINDS, { message: '导入类别须为推荐名额、试点名单、集团名录或工作人员账号' })
  kind!: ImportKindName;
}

export const IMPORT_STEPS = ['dry-run', 'apply'] as const;
export type ImportStep = (typeof IMPORT_STEPS)[number];

export class ImportStepParamDto extends ImportKindParamDto {
  @ApiProperty({ enum: IMPORT_STEPS, description: 'dry-run: every row\'s result, nothing written; apply: all rows in one transaction or none' })
  @Label('导入步骤')
  @IsIn(IMPORT_STEPS, { message: '导入步骤须为预检或导入' })
  step!: ImportStep;
}

export class ImportQueryDto {
  @ApiPropertyOptional({ description: 'The campaign of a per-campaign kind (quotas)' })
  @Label('申报批次')
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: '申报批次编号不正确' })
  campaignId?: string;
}

export class ImportColumnDto {
  key!: string;
  @ApiProperty({ description: 'The Chinese header (the template\'s, and the label in messages)' }) header!: string;
  @ApiProperty({ description: 'What goes in the column' }) hint!: string;
  required!: boolean;
}

export class ImportKindDto {
  @ApiProperty({ enum: IMPORT_KINDS }) kind!: ImportKindName;
  label!: string;
  @ApiProperty({ type: [ImportColumnDto] }) columns!: ImportColumnDto[];
  @ApiProperty({ description: 'At most this many data rows per file' }) maxRows!: number;
  @ApiProperty({ description: 'Whether the kind is per campaign (campaignId required)' }) perCampaign!: boolean;
}

export class ImportCellErrorDto {
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The column\'s Chinese header, or null for the whole row' }) column!: string | null;
  message!: string;
}

export class ImportRowDto {
  @ApiProperty({ description: 'The row\'s number in the sheet' }) row!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'The cells as read, by column key' }) values!: Record<string, string>;
  @ApiProperty({ enum: ROW_RESULTS }) result!: RowResult;
  resultLabel!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'What is there now, in words' }) before!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'What the row makes it, in words' }) after!: string | null;
  @ApiProperty({ type: [ImportCellErrorDto] }) errors!: ImportCellErrorDto[];
}

/** How many rows of each result, and in all. */
const COUNT_KEYS = ['total', 'create', 'update', 'unchanged', 'error'] as const;
export type ImportCounts = Record<(typeof COUNT_KEYS)[number], number>;

export class ImportReportDto {
  @ApiProperty({ enum: IMPORT_KINDS }) kind!: ImportKindName;
  label!: string;
  campaignId!: string | null;
  @ApiProperty({ description: 'True once applied; a dry run writes nothing' }) applied!: boolean;
  @ApiProperty({ description: 'Whether the file can be applied (no row in error)' }) applicable!: boolean;
  @ApiProperty({ type: [ImportColumnDto] }) columns!: ImportColumnDto[];
  @ApiProperty({ allOf: [{ type: 'object', required: [...COUNT_KEYS], properties: Object.fromEntries(COUNT_KEYS.map((k) => [k, { type: 'integer' }])) }], description: 'Rows in all and of each result' })
  counts!: ImportCounts;
  @ApiProperty({ type: [ImportRowDto] }) rows!: ImportRowDto[];
  @ApiProperty({ description: 'A summary for people' }) message!: string;
}
