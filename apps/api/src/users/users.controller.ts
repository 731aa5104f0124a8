import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { CurrentUser, Meta, Roles } from '../auth/decorators';
import { ApiErrors } from '../common/api-errors.decorator';
import { UuidPipe } from '../common/pipes';
import { CreateUserDto, ExpertDto, UpdateUserDto, UserDto } from './users.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('experts')
  @Roles('PROVINCE_IT', 'PROVINCE_FINANCE')
  @ApiOperation({ summary: 'The expert pool (for panel assignment)' })
  @ApiOkResponse({ type: [ExpertDto] })
  @ApiErrors(401, 403)
  experts(): Promise<ExpertDto[]> {
    return this.users.experts();
  }

  @Get('admin/users')
  @Roles('ADMIN')
  @ApiOperation({ summary: 'ADMIN: accounts' })
  @ApiOkResponse({ type: [UserDto] })
  @ApiErrors(401, 403)
  list(): Promise<UserDto[]> {
    return this.users.list();
  }

  @Post('admin/users')
  @Roles('ADMIN')
  @ApiOperation({ summary: 'ADMIN: create an account (unique username, password policy, scope by role)' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiErrors(400, 401, 403, 409, 422)
  create(@Body() dto: CreateUserDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<UserDto> {
    return this.users.create(dto, user, meta);
  }

  @Patch('admin/users/:userId')
  @Roles('ADMIN')
  @ApiOperation({ summary: 'ADMIN: disable/enable, unlock or reset the password of an account (reason audited)' })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 401, 403, 404, 422)
  update(@Param('userId', UuidPipe) userId: string, @Body() dto: UpdateUserDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<UserDto> {
    return this.users.update(userId, dto, user, meta);
  }
}
