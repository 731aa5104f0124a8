import { Body, Param } from '@nestjs/common';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { CurrentUser, Meta } from '../auth/decorators';
import { ApiController, Endpoint } from '../common/endpoint.decorator';
import { UuidPipe } from '../common/pipes';
import { CreateUserDto, ExpertDto, UpdateUserDto, UserDto } from './users.dto';
import { UsersService } from './users.service';

@ApiController('users', 'api/v1')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Endpoint('GET', 'experts', { roles: ['PROVINCE_IT', 'PROVINCE_FINANCE'], summary: 'The expert pool (for panel assignment)', ok: [ExpertDto], errors: [401, 403] })
  experts(): Promise<ExpertDto[]> {
    return this.users.experts();
  }

  @Endpoint('GET', 'accounts', { roles: ['SECURITY_ADMIN'], summary: 'SECURITY_ADMIN: accounts', ok: [UserDto], errors: [401, 403] })
  list(): Promise<UserDto[]> {
    return this.users.list();
  }

  @Endpoint('POST', 'accounts', {
    summary: 'SECURITY_ADMIN: create a staff account without a password; its owner activates it through the link mailed to them',
    roles: ['SECURITY_ADMIN'], created: UserDto, errors: [400, 401, 403, 409, 422],
  })
  create(@Body() dto: CreateUserDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<UserDto> {
    return this.users.create(dto, user, meta);
  }

  @Endpoint('PATCH', 'accounts/:userId', {
    summary: 'SECURITY_ADMIN: disable/enable, unlock, reset the password or the TOTP, resend the activation (reason audited); never sets a password',
    roles: ['SECURITY_ADMIN'], ok: UserDto, errors: [400, 401, 403, 404, 422],
  })
  update(@Param('userId', UuidPipe) userId: string, @Body() dto: UpdateUserDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<UserDto> {
    return this.users.update(userId, dto, user, meta);
  }
}
