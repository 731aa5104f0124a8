import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsOptional } from '../common/validation';
import { MAX_COMMENT, STAGES, type Stage } from '@jiebang/domain';
import { TimelineEntryDto } from '../applications/application.dto';

/**
 * Every action may carry a comment; where a reason is mandatory the rules refuse without one (422
 * REASON_REQUIRED). Each action's body extends this with its registry fields (action-bodies.ts).
 */
export class CommentDto {
  @ApiPropertyOptional({ description: '意见/理由（退回、不推荐、不同意、异议等必填）', maxLength: MAX_COMMENT })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_COMMENT)
  comment?: string;
}

export class AttestationsDto {
  @ApiProperty({ description: '经营状态正常、符合产业发展方向' }) @IsBoolean() normalOperation!: boolean;
  @ApiProperty({ description: '近三年内未发生过较大以上安全生产事故' }) @IsBoolean() noMajorSafetyAccident!: boolean;
  @ApiProperty({ description: '无严重失信记录' }) @IsBoolean() noSeriousDishonesty!: boolean;
  @ApiProperty({ description: '未被列入经营异常名录' }) @IsBoolean() notAbnormalListed!: boolean;
  @ApiProperty({ description: '符合财政涉企资金“绿色门槛”制度要求' }) @IsBoolean() greenThreshold!: boolean;
}

export class ActionResultDto {
  applicationId!: string;
  action!: string;
  @ApiProperty({ enum: STAGES }) stage!: Stage;
  stageLabel!: string;
  seq!: number;
  stageEnteredAt!: string;
  deadlineAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: TimelineEntryDto }) event!: TimelineEntryDto | null;
}

export class NudgeDto {
  @ApiProperty({ description: '原因（必填，审计）', maxLength: 500 }) @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}
