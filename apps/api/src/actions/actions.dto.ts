import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsDefined, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsDecimal } from '../common/validation';
import { STAGES, type Stage } from '@jiebang/domain';
import { IsShanghaiDateTime } from '../common/time';
import { TimelineEntryDto } from '../applications/application.dto';

/** Every action may carry a comment; where a reason is mandatory the rules refuse without one (422 REASON_REQUIRED). */
export class CommentDto {
  @ApiPropertyOptional({ description: '意见/理由（退回、不推荐、不同意、异议等必填）', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class AttestationsDto {
  @ApiProperty({ description: '经营状态正常、符合产业发展方向' }) @IsBoolean() normalOperation!: boolean;
  @ApiProperty({ description: '近三年内未发生过较大以上安全生产事故' }) @IsBoolean() noMajorSafetyAccident!: boolean;
  @ApiProperty({ description: '无严重失信记录' }) @IsBoolean() noSeriousDishonesty!: boolean;
  @ApiProperty({ description: '未被列入经营异常名录' }) @IsBoolean() notAbnormalListed!: boolean;
  @ApiProperty({ description: '符合财政涉企资金“绿色门槛”制度要求' }) @IsBoolean() greenThreshold!: boolean;
}

export class SubmitDto extends CommentDto {
  @ApiProperty({ type: AttestationsDto, description: 'The five attestations of the notice, each true to submit' })
  @IsDefined()
  @ValidateNested()
  @Type(() => AttestationsDto)
  attestations!: AttestationsDto;
}

export class CityOpinionDto extends CommentDto {
  @ApiProperty({ enum: ['RECOMMEND', 'NOT_RECOMMEND', 'RETURN'] }) @IsIn(['RECOMMEND', 'NOT_RECOMMEND', 'RETURN']) decision!: 'RECOMMEND' | 'NOT_RECOMMEND' | 'RETURN';
}

export class ConcurrenceDto extends CommentDto {
  @ApiProperty({ enum: ['CONCUR', 'DISAGREE'] }) @IsIn(['CONCUR', 'DISAGREE']) decision!: 'CONCUR' | 'DISAGREE';
}

export class AssignExpertsDto extends CommentDto {
  @ApiProperty({ type: [String], description: 'Expert user ids' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(15)
  @IsUUID('all', { each: true })
  expertIds!: string[];
}

export class ExpertScoreDto extends CommentDto {
  @ApiProperty({ minimum: 0, maximum: 100 }) @IsDecimal(2) @Min(0) @Max(100) score!: number;
}

export class SelectionDto extends CommentDto {
  @ApiProperty({ enum: ['SELECT', 'NOT_SELECT'] }) @IsIn(['SELECT', 'NOT_SELECT']) decision!: 'SELECT' | 'NOT_SELECT';
}

export class OpenPublicityDto extends CommentDto {
  @ApiProperty({ description: 'End of publicity: ISO 8601 with offset, or "2026-06-30 17:00" (Asia/Shanghai)' }) @IsShanghaiDateTime() endsAt!: string;
}

export class ResolveObjectionDto extends CommentDto {
  @ApiProperty({ example: 'OBJ-1' }) @IsString() @IsNotEmpty() @MaxLength(20) objectionId!: string;
  @ApiProperty({ enum: ['DISMISS', 'UPHOLD_REVIEW', 'UPHOLD_REJECT'] }) @IsIn(['DISMISS', 'UPHOLD_REVIEW', 'UPHOLD_REJECT']) resolution!: 'DISMISS' | 'UPHOLD_REVIEW' | 'UPHOLD_REJECT';
}

export class UploadArchiveDto extends CommentDto {
  @ApiProperty({ description: 'A file uploaded with kind ARCHIVE' }) @IsUUID() fileId!: string;
  @ApiProperty({ maxLength: 200 }) @IsString() @IsNotEmpty() @MaxLength(200) title!: string;
}

export class EarlyDecisionDto extends CommentDto {
  @ApiProperty({ enum: ['APPROVE', 'REJECT'] }) @IsIn(['APPROVE', 'REJECT']) decision!: 'APPROVE' | 'REJECT';
}

export class AcceptanceResultDto extends CommentDto {
  @ApiProperty({ enum: ['PASS', 'FAIL'] }) @IsIn(['PASS', 'FAIL']) decision!: 'PASS' | 'FAIL';
}

export class RectifyDto extends CommentDto {
  @ApiProperty({ description: 'New acceptance due time (ISO 8601 with offset, or Asia/Shanghai local)' }) @IsShanghaiDateTime() newDueAt!: string;
}

export class ActionResultDto {
  @ApiProperty() applicationId!: string;
  @ApiProperty() action!: string;
  @ApiProperty({ enum: STAGES }) stage!: Stage;
  @ApiProperty() stageLabel!: string;
  @ApiProperty() seq!: number;
  @ApiProperty() stageEnteredAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) deadlineAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: TimelineEntryDto }) event!: TimelineEntryDto | null;
}

export class NudgeDto {
  @ApiProperty({ description: '原因（必填，审计）', maxLength: 500 }) @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}
