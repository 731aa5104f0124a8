import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { ROLES, type Role } from '@jiebang/domain';
import { NotBlank, IsOptional } from '../common/validation';
import { Label } from '../common/labels';

export class UserDto {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiPropertyOptional({ nullable: true, type: String }) orgId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) cityCode!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) countyCode!: string | null;
  @ApiProperty() disabled!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) lockedUntil!: string | null;
  @ApiProperty() totpEnabled!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) lastLoginAt!: string | null;
}

export class CreateUserDto {
  @ApiProperty() @Matches(/^[a-z0-9][a-z0-9._-]{2,31}$/, { message: '用户名须为3–32位小写字母、数字或 ._-' }) username!: string;
  @ApiProperty() @IsString() @NotBlank() @MaxLength(50) displayName!: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role!: Role;
  @ApiProperty({ description: '初始密码（须符合密码策略）' }) @Label('初始密码') @IsString() @IsNotEmpty() @MaxLength(128) password!: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() orgId?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{6}$/, { message: '须为6位行政区划代码' }) cityCode?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{6}$/, { message: '须为6位行政区划代码' }) countyCode?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() disabled?: boolean;
  @ApiPropertyOptional({ description: '解除登录锁定' }) @IsOptional() @IsBoolean() unlock?: boolean;
  @ApiPropertyOptional({ description: '重置密码（须符合密码策略）' }) @Label('重置密码') @IsOptional() @IsString() @MaxLength(128) password?: string;
  @ApiProperty({ description: '原因（审计）' }) @IsString() @NotBlank() @MaxLength(500) reason!: string;
}

export class ExpertDto {
  @ApiProperty() id!: string;
  @ApiProperty() displayName!: string;
}
