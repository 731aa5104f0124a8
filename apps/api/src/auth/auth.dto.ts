import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { IsOptional } from '../common/validation';
import { ROLES, type Role } from '@jiebang/domain';

export class LoginDto {
  @ApiProperty({ example: 'county' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  username!: string;

  @ApiProperty({ example: 'Jiebang@2026' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password!: string;

  @ApiPropertyOptional({ description: 'TOTP code (six digits) when the account has a second factor', example: '123456' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{6}$/, { message: '动态口令须为6位数字' })
  totp?: string;
}

export class MeDto {
  id!: string;
  username!: string;
  displayName!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  roleLabel!: string;
  orgId!: string | null;
  orgName!: string | null;
  cityCode!: string | null;
  cityName!: string | null;
  countyCode!: string | null;
  countyName!: string | null;
  totpEnabled!: boolean;
  @ApiProperty({ description: 'The role logs in with a second factor (TOTP)' }) totpRequired!: boolean;
  @ApiProperty({ description: 'The session reaches nothing but the TOTP enrolment until it is done (first login of a role that needs TOTP)' }) mustEnrolTotp!: boolean;
  @ApiProperty({ description: 'The session reaches nothing but the password change until it is done (password expired)' }) mustChangePassword!: boolean;
  @ApiProperty({ description: 'Idle minutes after which the session ends' }) idleMinutes!: number;
}

export class TokenDto {
  accessToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'Expiry of the access token (ISO 8601)' }) expiresAt!: string;
  @ApiProperty({ type: MeDto }) user!: MeDto;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(128) oldPassword!: string;
  @ApiProperty({ description: '至少12位，含大写字母、小写字母、数字、符号中的至少三类；不能是常见密码、演示密码或最近5次用过的密码' }) @IsString() @IsNotEmpty() @MaxLength(128) newPassword!: string;
}

export class TotpSetupDto {
  @ApiProperty({ description: 'Base32 secret' }) secret!: string;
  @ApiProperty({ description: 'otpauth:// URI for an authenticator app' }) uri!: string;
}

export class TotpSetupRequestDto {
  @ApiPropertyOptional({ example: '123456', description: 'A current code of the factor in force (required to re-enrol)' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{6}$/, { message: '动态口令须为6位数字' })
  code?: string;
}

export class TotpCodeDto {
  @ApiProperty({ example: '123456' })
  @IsString()
  @Matches(/^\d{6}$/, { message: '动态口令须为6位数字' })
  code!: string;
}
