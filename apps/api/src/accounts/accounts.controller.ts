import { Body, Query } from '@nestjs/common';
import type { RequestMeta } from '../auth/auth.types';
import { Meta } from '../auth/decorators';
import { ApiController, Endpoint } from '../common/endpoint.decorator';
import { AcceptedDto, ForgotPasswordDto, LinkInfoDto, LinkQueryDto, SetPasswordByLinkDto } from './accounts.dto';
import { AccountsService } from './accounts.service';

/** The owner's own credentials, without a session: activation and password reset by the mailed one-time link. */
@ApiController('auth', 'api/v1/auth', { public: true })
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Endpoint('GET', 'account-link', { summary: 'Whether a one-time link is still open, and for which account (the console shows the form)', ok: LinkInfoDto, errors: [400, 422, 429] })
  linkInfo(@Query() q: LinkQueryDto): Promise<LinkInfoDto> {
    return this.accounts.linkInfo(q.token);
  }

  @Endpoint('POST', 'activate', { status: 204, summary: 'The owner activates an account by setting its password through the activation link', noContent: 'Activated', errors: [400, 422, 429] })
  activate(@Body() dto: SetPasswordByLinkDto, @Meta() meta: RequestMeta): Promise<void> {
    return this.accounts.setPasswordByLink(dto.token, dto.password, 'ACTIVATION', meta);
  }

  @Endpoint('POST', 'reset-password', { status: 204, summary: 'The owner sets a new password through the reset link', noContent: 'Password set', errors: [400, 422, 429] })
  resetPassword(@Body() dto: SetPasswordByLinkDto, @Meta() meta: RequestMeta): Promise<void> {
    return this.accounts.setPasswordByLink(dto.token, dto.password, 'RESET', meta);
  }

  @Endpoint('POST', 'forgot-password', { status: 202, summary: 'Ask for a reset link to the account\'s own address (the same answer whether or not the account exists)', ok: AcceptedDto, errors: [400, 429] })
  forgotPassword(@Body() dto: ForgotPasswordDto, @Meta() meta: RequestMeta): Promise<AcceptedDto> {
    return this.accounts.forgotPassword(dto.username, meta);
  }
}
