import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ROLES } from '@jiebang/domain';
import { ApiErrors } from '../common/api-errors.decorator';
import { ChangePasswordDto, LoginDto, MeDto, TokenDto, TotpCodeDto, TotpSetupDto, TotpSetupRequestDto } from './auth.dto';
import { AuthService } from './auth.service';
import type { AuthUser, RequestMeta } from './auth.types';
import { BeforeDuties, CurrentUser, Meta, Public, Roles } from './decorators';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with username and password (and TOTP when enabled); lockout after repeated failures' })
  @ApiOkResponse({ type: TokenDto })
  @ApiErrors(400, 401, 423, 429)
  login(@Body() dto: LoginDto, @Meta() meta: RequestMeta, @Req() req: Request): Promise<TokenDto> {
    return this.auth.login(dto, { ...meta, userAgent: req.headers['user-agent'] ?? null });
  }

  @BeforeDuties()
  @Post('refresh')
  @HttpCode(200)
  @Roles(...ROLES)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'A fresh access token for the same live session, in exchange for its newest one (each token refreshes once; an exchanged one presented again ends the session)' })
  @ApiOkResponse({ type: TokenDto })
  @ApiErrors(401)
  refresh(@CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<TokenDto> {
    return this.auth.refresh(user, meta);
  }

  @BeforeDuties()
  @Post('logout')
  @HttpCode(204)
  @Roles(...ROLES)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End the session' })
  @ApiErrors(401)
  logout(@CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<void> {
    return this.auth.logout(user, meta);
  }

  @BeforeDuties()
  @Get('me')
  @Roles(...ROLES)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The caller: role and scope' })
  @ApiOkResponse({ type: MeDto })
  @ApiErrors(401)
  me(@CurrentUser() user: AuthUser): Promise<MeDto> {
    return this.auth.me(user.userId);
  }

  @BeforeDuties()
  @Post('password')
  @HttpCode(204)
  @Roles(...ROLES)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change the password (policy: length, strength estimate, common passwords, no reuse of the last 5; throttled per client and per account); other sessions end' })
  @ApiErrors(400, 401, 422, 429)
  changePassword(@CurrentUser() user: AuthUser, @Body() dto: ChangePasswordDto, @Meta() meta: RequestMeta): Promise<void> {
    return this.auth.changePassword(user, dto, meta);
  }

  @BeforeDuties()
  @Post('totp/setup')
  @HttpCode(200)
  @Roles(...ROLES)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'A new TOTP secret, pending until totp/enable; with a factor in force, only with a current code of it (which stays in force until then)' })
  @ApiOkResponse({ type: TotpSetupDto })
  @ApiErrors(400, 401, 403, 422)
  totpSetup(@CurrentUser() user: AuthUser, @Body() dto: TotpSetupRequestDto, @Meta() meta: RequestMeta): Promise<TotpSetupDto> {
    return this.auth.totpSetup(user, dto.code, meta);
  }

  @BeforeDuties()
  @Post('totp/enable')
  @HttpCode(204)
  @Roles(...ROLES)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Confirm the pending TOTP secret with a code: it becomes the factor in force; logins then need a code' })
  @ApiErrors(400, 401, 403, 422)
  totpEnable(@CurrentUser() user: AuthUser, @Body() dto: TotpCodeDto, @Meta() meta: RequestMeta): Promise<void> {
    return this.auth.totpEnable(user, dto.code, meta);
  }
}
