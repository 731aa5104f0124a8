import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsCalendarDate, IsDecimal, NotBefore, NotBlank, IsOptional } from '../common/validation';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { APPLICANT_TYPES, PROJECT_NAME_MAX, STAGES, TASK_CODE_PATTERN, type Stage } from '@jiebang/domain';
import { PageMetaDto } from '../common/paging';

export const LIST_VIEWS = ['todo', 'done', 'started'] as const;
export type ListView = (typeof LIST_VIEWS)[number];
export const LIST_SORTS = ['deadline', 'submitted', 'stage', 'updated', 'created'] as const;
export type ListSort = (typeof LIST_SORTS)[number];
export const ASSIGNEE_FILTERS = ['me', 'others', 'unassigned'] as const;
export type AssigneeFilter = (typeof ASSIGNEE_FILTERS)[number];

/** 项目基本信息表: what the project is. Every field optional in a draft; completeness is checked at submission. */
export class ProjectInfoDto {
  @ApiPropertyOptional({ description: '项目简介' }) @IsOptional() @IsString() @MaxLength(2000) summary?: string;
  @ApiPropertyOptional({ description: '主要建设内容' }) @IsOptional() @IsString() @MaxLength(5000) content?: string;
  @ApiPropertyOptional({ description: '预期目标及考核指标' }) @IsOptional() @IsString() @MaxLength(3000) goals?: string;
  @ApiPropertyOptional({ description: '应用场景/所属行业' }) @IsOptional() @IsString() @MaxLength(200) scenario?: string;
  @ApiPropertyOptional({ description: '实施开始日期 YYYY-MM-DD' }) @IsOptional() @IsCalendarDate() startDate?: string;
  @ApiPropertyOptional({ description: '实施结束日期 YYYY-MM-DD' }) @IsOptional() @IsCalendarDate() @NotBefore('startDate', '不能早于实施开始日期') endDate?: string;
  @ApiPropertyOptional({ description: '项目总投资（万元）' }) @IsOptional() @IsDecimal(2) @Min(0) @Max(10_000_000) totalInvestment?: number;
  @ApiPropertyOptional({ description: '其中软硬件投入（万元）' }) @IsOptional() @IsDecimal(2) @Min(0) @Max(10_000_000) itInvestment?: number;
  @ApiPropertyOptional({ description: '联合申报单位', type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) @MaxLength(200, { each: true }) partners?: string[];
  @ApiPropertyOptional({ description: '项目联系人' }) @IsOptional() @IsString() @NotBlank() @MaxLength(50) contactName?: string;
  @ApiPropertyOptional({ description: '联系电话' }) @IsOptional() @Matches(/^[0-9+\-() ]{7,20}$/, { message: '须为电话号码（7–20位数字，可含 + - ( ) 和空格）' }) contactPhone?: string;
}

/** 申报单位信息表: who applies. */
export class UnitInfoDto {
  @ApiPropertyOptional({ description: '法定代表人' }) @IsOptional() @IsString() @NotBlank() @MaxLength(50) legalRepresentative?: string;
  @ApiPropertyOptional({ description: '注册资本（万元）' }) @IsOptional() @IsDecimal(2) @Min(0) @Max(100_000_000) registeredCapital?: number;
  @ApiPropertyOptional({ description: '成立日期 YYYY-MM-DD' }) @IsOptional() @IsCalendarDate() establishedDate?: string;
  @ApiPropertyOptional({ description: '职工人数' }) @IsOptional() @IsInt() @Min(0) @Max(10_000_000) employees?: number;
  @ApiPropertyOptional({ description: '上年度营业收入（万元）' }) @IsOptional() @IsDecimal(2) @Min(0) @Max(1_000_000_000) revenueLastYear?: number;
  @ApiPropertyOptional({ description: '上年度研发投入（万元）' }) @IsOptional() @IsDecimal(2) @Min(0) @Max(1_000_000_000) rdLastYear?: number;
  @ApiPropertyOptional({ description: '通讯地址' }) @IsOptional() @IsString() @MaxLength(200) address?: string;
  @ApiPropertyOptional({ description: '主营业务' }) @IsOptional() @IsString() @MaxLength(1000) mainBusiness?: string;
  @ApiPropertyOptional({ description: '资质荣誉' }) @IsOptional() @IsString() @MaxLength(2000) honours?: string;
}

export { PROJECT_REQUIRED, UNIT_REQUIRED } from '@jiebang/domain';

export class CreateApplicationDto {
  @ApiProperty({ example: '2026P' }) @IsString() @IsNotEmpty() @MaxLength(20) campaignId!: string;
  @ApiProperty({ example: 'T3', description: "A task code of the campaign's 榜单 (GET /api/v1/campaigns/{id}/tasks)" }) @Matches(TASK_CODE_PATTERN, { message: '须为本批次榜单中的任务编号（如 T3）' }) taskCode!: string;
  @ApiProperty({ example: '基于工业互联网平台的智能排产项目' }) @IsString() @NotBlank() @MaxLength(PROJECT_NAME_MAX) projectName!: string;
  @ApiPropertyOptional({ type: ProjectInfoDto }) @IsOptional() @ValidateNested() @Type(() => ProjectInfoDto) project?: ProjectInfoDto;
  @ApiPropertyOptional({ type: UnitInfoDto }) @IsOptional() @ValidateNested() @Type(() => UnitInfoDto) unit?: UnitInfoDto;
}

export class UpdateApplicationDto {
  @ApiPropertyOptional({ description: "A task code of the campaign's 榜单" }) @IsOptional() @Matches(TASK_CODE_PATTERN, { message: '须为本批次榜单中的任务编号（如 T3）' }) taskCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @NotBlank() @MaxLength(PROJECT_NAME_MAX) projectName?: string;
  @ApiPropertyOptional({ type: ProjectInfoDto }) @IsOptional() @ValidateNested() @Type(() => ProjectInfoDto) project?: ProjectInfoDto;
  @ApiPropertyOptional({ type: UnitInfoDto }) @IsOptional() @ValidateNested() @Type(() => UnitInfoDto) unit?: UnitInfoDto;
}

/** A list's filters, view and order (a saved filter is one of these). */
export class ListFiltersDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) campaignId?: string;
  @ApiPropertyOptional({ enum: STAGES }) @IsOptional() @IsIn(STAGES) stage?: Stage;
  @ApiPropertyOptional({ description: 'City code (GB/T 2260)' }) @IsOptional() @Matches(/^\d{6}$/, { message: '须为6位行政区划代码' }) cityCode?: string;
  @ApiPropertyOptional({ description: 'County code (GB/T 2260)' }) @IsOptional() @Matches(/^\d{6}$/, { message: '须为6位行政区划代码' }) countyCode?: string;
  @ApiPropertyOptional({ description: "A task code of the campaign's 榜单" }) @IsOptional() @Matches(TASK_CODE_PATTERN, { message: '须为本批次榜单中的任务编号（如 T3）' }) taskCode?: string;
  @ApiPropertyOptional({ description: 'Only applications whose current deadline falls within this many hours' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 366)
  deadlineWithinHours?: number;
  @ApiPropertyOptional({ description: 'Only those waiting for the caller (inbox)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value))
  @IsBoolean()
  mine?: boolean;
  @ApiPropertyOptional({ enum: LIST_VIEWS, description: "todo: waiting for the caller (待办, as mine=true); done: the caller acted on it (已办); started: the caller's organisation started it (我发起的, applicants)" })
  @IsOptional()
  @IsIn(LIST_VIEWS, { message: '须为待办、已办或我发起的' })
  view?: ListView;
  @ApiPropertyOptional({ description: "Application number, project name or applicant's name contains, or the applicant's credit code (all 18 characters) is" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
  @ApiPropertyOptional({ enum: LIST_SORTS, default: 'updated', description: 'deadline, submission, entry into the current stage, last change, creation' })
  @IsOptional()
  @IsIn(LIST_SORTS, { message: '须为截止时间、提交时间、进入环节时间、更新时间或创建时间' })
  sort?: ListSort;
  @ApiPropertyOptional({ enum: ['asc', 'desc'], description: "The sort's direction (default: the soonest deadline, the oldest stage, the newest change first)" })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: '须为升序或降序' })
  order?: 'asc' | 'desc';
  @ApiPropertyOptional({ enum: ASSIGNEE_FILTERS, description: "Held in the caller's office by the caller (me), by a colleague (others), or by nobody (unassigned)" })
  @IsOptional()
  @IsIn(ASSIGNEE_FILTERS, { message: '须为我认领的、同事认领的或未认领' })
  assignee?: AssigneeFilter;
}

/** A page of a list. */
export class ListQueryDto extends ListFiltersDto {
  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: 100000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page: number = 1;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize: number = 20;
}

export class ApplicationSummaryDto {
  @ApiProperty({ example: 'JB2026P-000001' }) id!: string;
  campaignId!: string;
  taskCode!: string;
  taskName!: string;
  projectName!: string;
  orgId!: string;
  orgName!: string;
  @ApiProperty({ enum: APPLICANT_TYPES }) applicantType!: string;
  cityCode!: string;
  cityName!: string;
  countyCode!: string;
  countyName!: string;
  @ApiProperty({ enum: STAGES, description: 'The stage as of now (a passed cut-off counts as closed)' }) stage!: Stage;
  stageLabel!: string;
  stageEnteredAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The binding cut-off or next due instant (ISO 8601, +08:00)' }) deadlineAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, enum: ['CITY_FINANCE', 'PROVINCE_FINANCE', 'PROVINCE_IT'] }) pending!: string | null;
  quotaExempt!: boolean;
  quotaHeld!: boolean;
  averageScore!: number | null;
  acceptanceOverdue!: boolean;
  archiveCount!: number;
  lastReturnReason!: string | null;
  submittedAt!: string | null;
  publishedAt!: string | null;
  acceptanceDueAt!: string | null;
  paperReceivedAt!: string | null;
  selected!: boolean;
  @ApiPropertyOptional({ nullable: true, enum: ['PASS', 'FAIL'], description: 'The formal check (形式审查), once made' }) formalCheck!: 'PASS' | 'FAIL' | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The end of an open supplement window (补正)' }) supplementEndsAt!: string | null;
  seq!: number;
  updatedAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: "Who in the caller's office holds it (reviewers' lists)" }) assigneeId!: string | null;
  assigneeName!: string | null;
}

export class ApplicationPageDto extends PageMetaDto {
  @ApiProperty({ type: [ApplicationSummaryDto] }) items!: ApplicationSummaryDto[];
}

export class InboxCountDto {
  key!: string;
  label!: string;
  count!: number;
  @ApiProperty({ description: 'Of which due within 72 hours' }) dueSoon!: number;
}

export class FileDto {
  id!: string;
  kind!: string;
  kindLabel!: string;
  filename!: string;
  mime!: string;
  size!: number;
  sha256!: string;
  uploadedAt!: string;
}

export class TimelineEntryDto {
  seq!: number;
  action!: string;
  actionLabel!: string;
  @ApiProperty({ enum: STAGES }) fromStage!: Stage;
  @ApiProperty({ enum: STAGES }) toStage!: Stage;
  toStageLabel!: string;
  actorRole!: string;
  actorRoleLabel!: string;
  actorName!: string | null;
  at!: string;
  comment!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Object }) detail!: Record<string, unknown> | null;
}

export class AvailableActionDto {
  action!: string;
  label!: string;
  role!: string;
  roleLabel!: string;
}

export class WorkflowViewDto {
  @ApiProperty({ enum: STAGES }) stage!: Stage;
  seq!: number;
  deadlineAt!: string | null;
  deadlineLevel!: string | null;
  @ApiProperty({ type: [String], description: 'What the caller may do now' }) allowedActions!: string[];
  @ApiProperty({ type: [AvailableActionDto], description: 'Who may do what now' }) available!: AvailableActionDto[];
  @ApiPropertyOptional({ nullable: true, type: Object }) lastReturn!: Record<string, unknown> | null;
  @ApiPropertyOptional({ nullable: true, type: Object }) pendingCityOpinion!: Record<string, unknown> | null;
  @ApiPropertyOptional({ nullable: true, type: Object }) pendingSelection!: Record<string, unknown> | null;
  @ApiPropertyOptional({ nullable: true, type: Object }) pendingAcceptance!: Record<string, unknown> | null;
  selected!: boolean;
  @ApiPropertyOptional({ nullable: true, type: Object }) publicity!: Record<string, unknown> | null;
  @ApiProperty({ type: [Object] }) objections!: Array<Record<string, unknown>>;
  @ApiProperty({ type: [Object], description: 'Assigned experts and their scores (province roles; an expert sees their own)' }) experts!: Array<Record<string, unknown>>;
  @ApiPropertyOptional({ nullable: true, type: Object }) earlyAcceptance!: Record<string, unknown> | null;
  archiveCount!: number;
  quotaHeld!: boolean;
  quotaConsumed!: boolean;
  rectifications!: number;
  asOf!: string;
}

export class ApplicationDetailDto {
  @ApiProperty({ type: ApplicationSummaryDto }) application!: ApplicationSummaryDto;
  @ApiProperty({ type: ProjectInfoDto }) project!: ProjectInfoDto;
  @ApiProperty({ type: UnitInfoDto }) unit!: UnitInfoDto;
  @ApiProperty({ type: Object, description: 'Attestations made at submission' }) attestations!: Record<string, boolean>;
  @ApiProperty({ type: [String], description: 'Materials present now (forms complete, files uploaded)' }) materials!: string[];
  @ApiProperty({ type: [String], description: 'Materials required for this applicant' }) requiredMaterials!: string[];
  @ApiProperty({ description: 'Editable now (draft or returned; frozen once recommended)' }) editable!: boolean;
  @ApiProperty({ type: [FileDto] }) files!: FileDto[];
  @ApiPropertyOptional({ type: WorkflowViewDto, nullable: true, description: 'Null when Temporal cannot be reached' }) workflow!: WorkflowViewDto | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The workflow in the Temporal Web UI: for ADMIN only, the one role that can open it' }) temporalUrl!: string | null;
}
