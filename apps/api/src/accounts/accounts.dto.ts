import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { Label } from '../common/labels';

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

export class SetPasswordByLinkDto {
  @ApiProperty({ description: 'The token of the one-time link in the mail' })
  @Label('链接')
  @IsString()
  @Matches(TOKEN, { message: '链接不完整，请从邮件中重新打开' })
  token!: string;

  @ApiProperty({ description: 'The new password (password policy)' })
  @Label('新密码')
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password!: string;
}

export class LinkQueryDto {
  @ApiProperty()
  @Label('链接')
  @IsString()
  @Matches(TOKEN, { message: '链接不完整，请从邮件中重新打开' })
  token!: string;
}

export class LinkInfoDto {
  @ApiProperty({ enum: ['ACTIVATION', 'RESET'] }) purpose!: 'ACTIVATION' | 'RESET';
  username!: string;
}

export class ForgotPasswordDto {
  @ApiProperty()
  @Label('用户名')
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  username!: string;
}

export class AcceptedDto {
  message!: string;
}
