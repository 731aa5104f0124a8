import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { MAIL_EVENT_KEYS } from '@jiebang/domain';
import { Label } from '../common/labels';
import { NotBlank } from '../common/validation';

export const URGE_MESSAGE_MAX = 200;
export const COMMENT_MAX = 2000;
export const MENTIONS_MAX = 10;

export class UrgeDto {
  @ApiPropertyOptional({ maxLength: URGE_MESSAGE_MAX, description: 'A word to the office urged (附言)' })
  @IsOptional()
  @IsString()
  @NotBlank()
  @MaxLength(URGE_MESSAGE_MAX)
  message?: string;
}

export class UrgeEntryDto {
  id!: string;
  @ApiProperty({ enum: ['URGE', 'ESCALATION'] }) kind!: string;
  @ApiProperty({ description: '催办 / 超期提醒' }) kindLabel!: string;
  @ApiProperty({ description: 'The office urged or told, by name' }) targetLabel!: string;
  byName!: string | null;
  byRoleLabel!: string | null;
  message!: string | null;
  at!: string;
}

/** Whether the caller may urge now (and why not), and the urges and escalations so far. */
export class UrgeStatusDto {
  canUrge!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why not, in Chinese' }) blockedReason!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The office an urge goes to' }) targetLabel!: string | null;
  @ApiProperty({ type: [UrgeEntryDto] }) items!: UrgeEntryDto[];
}

export class NewCommentDto {
  @ApiProperty({ maxLength: COMMENT_MAX }) @IsString() @NotBlank() @MaxLength(COMMENT_MAX) body!: string;
  @ApiPropertyOptional({ type: [String], maxItems: MENTIONS_MAX, description: 'Colleagues mentioned (@), told in the console and by mail' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MENTIONS_MAX)
  @IsUUID('all', { each: true, message: '提到的同事不是有效的账号' })
  mentions?: string[];
}

/** A colleague by name and office (whom a comment may mention, who wrote it). */
export class PersonDto {
  id!: string;
  displayName!: string;
  @ApiProperty({ description: 'The office, by name' }) roleLabel!: string;
}

/** One internal comment: who wrote it when, and whom it mentions. */
export class InternalCommentDto {
  id!: string;
  @ApiProperty({ type: PersonDto }) author!: PersonDto;
  body!: string;
  @ApiProperty({ type: [PersonDto] }) mentions!: PersonDto[];
  at!: string;
}

export class MailPreferenceDto {
  @ApiProperty({ enum: MAIL_EVENT_KEYS }) event!: string;
  label!: string;
  enabled!: boolean;
}

export class MailPreferenceChangeDto {
  @ApiProperty({ enum: MAIL_EVENT_KEYS }) @IsIn(MAIL_EVENT_KEYS) event!: string;
  @ApiProperty() @IsBoolean() enabled!: boolean;
}

export class MailPreferencesDto {
  @ApiProperty({ type: [MailPreferenceChangeDto] })
  @Label('邮件通知设置')
  @IsArray()
  @ArrayMaxSize(MAIL_EVENT_KEYS.length)
  @ValidateNested({ each: true })
  @Type(() => MailPreferenceChangeDto)
  items!: MailPreferenceChangeDto[];
}
