import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { ROLES, STAFF_ROLES, type Role, type StaffRole } from '@jiebang/domain';
import { EmailField } from '../common/fields';
import { IsOptional, NotBlank } from '../common/validation';

export class UserDto {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiPropertyOptional({ nullable: true, type: String }) orgId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) cityCode!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) countyCode!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: "The owner's address (activation and reset links go there)" }) email!: string | null;
  @ApiProperty({ description: 'False until the owner has set a password through the activation link' }) activated!: boolean;
  @ApiProperty() disabled!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) lockedUntil!: string | null;
  @ApiProperty() totpEnabled!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) lastLoginAt!: string | null;
}

export class CreateUserDto {
  @ApiProperty() @Matches(/^[a-z0-9][a-z0-9._-]{2,31}$/, { message: '用户名须为3–32位小写字母、数字或 ._-' }) username!: string;
  @ApiProperty() @IsString() @NotBlank() @MaxLength(50) displayName!: string;
  @ApiProperty({ enum: STAFF_ROLES, description: 'Staff roles only: applicants register themselves; SECURITY_ADMIN accounts come from the bootstrap' })
  @IsIn(STAFF_ROLES, { message: '角色须为县、市、省级工作人员、评审专家、系统管理员或审计管理员' })
  role!: StaffRole;
  @EmailField('邮箱', "The owner's own address: the activation link goes there; nobody else learns a password", 254)
  email!: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{6}$/, { message: '须为6位行政区划代码' }) cityCode?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{6}$/, { message: '须为6位行政区划代码' }) countyCode?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() disabled?: boolean;
  @ApiPropertyOptional({ description: '解除登录锁定' }) @IsOptional() @IsBoolean() unlock?: boolean;
  @ApiPropertyOptional({ description: 'The password stops working and a reset link is mailed to the owner' }) @IsOptional() @IsBoolean() resetPassword?: boolean;
  @ApiPropertyOptional({ description: 'A new activation link to the owner (the earlier one stops working)' }) @IsOptional() @IsBoolean() resendActivation?: boolean;
  @ApiPropertyOptional({ description: 'The TOTP secret is removed: the owner enrols again at the next login' }) @IsOptional() @IsBoolean() resetTotp?: boolean;
  @ApiProperty({ description: '原因（审计）' }) @IsString() @NotBlank() @MaxLength(500) reason!: string;
}

export class ExpertDto {
  @ApiProperty() id!: string;
  @ApiProperty() displayName!: string;
}
