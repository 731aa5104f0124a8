import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { cityOfCounty, findRegion } from '@jiebang/domain/reference/regions';
import { hashPassword, passwordProblem } from '@jiebang/runtime';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { CurrentUser, Meta, Roles } from '../auth/decorators';
import { ApiErrors } from '../common/api-errors.decorator';
import { conflict, notFound, unprocessable } from '../common/errors';
import { UuidPipe } from '../common/pipes';
import { iso } from '../common/time';
import { CreateUserDto, ExpertDto, UpdateUserDto, UserDto } from './users.dto';

function toDto(r: Record<string, unknown>): UserDto {
  return {
    id: r.id as string,
    username: r.username as string,
    displayName: r.display_name as string,
    role: r.role as UserDto['role'],
    orgId: r.org_id as string | null,
    cityCode: r.city_code as string | null,
    countyCode: r.county_code as string | null,
    disabled: r.disabled as boolean,
    lockedUntil: iso(r.locked_until as Date | null),
    totpEnabled: r.totp_enabled as boolean,
    lastLoginAt: iso(r.last_login_at as Date | null),
  };
}

const COLUMNS = 'id, username, display_name, role, org_id, city_code, county_code, disabled, locked_until, totp_enabled, last_login_at';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1')
export class UsersController {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  @Get('experts')
  @Roles('PROVINCE_IT', 'PROVINCE_FINANCE')
  @ApiOperation({ summary: 'The expert pool (for panel assignment)' })
  @ApiOkResponse({ type: [ExpertDto] })
  @ApiErrors(401, 403)
  async experts(): Promise<ExpertDto[]> {
    const rows: Array<{ id: string; display_name: string }> = await this.ds.query(`select id, display_name from users where role = 'EXPERT' and not disabled order by display_name`);
    return rows.map((r) => ({ id: r.id, displayName: r.display_name }));
  }

  @Get('admin/users')
  @Roles('ADMIN')
  @ApiOperation({ summary: 'ADMIN: accounts' })
  @ApiOkResponse({ type: [UserDto] })
  @ApiErrors(401, 403)
  async list(): Promise<UserDto[]> {
    const rows: Array<Record<string, unknown>> = await this.ds.query(`select ${COLUMNS} from users order by role, username`);
    return rows.map(toDto);
  }

  @Post('admin/users')
  @Roles('ADMIN')
  @ApiOperation({ summary: 'ADMIN: create an account (unique username, password policy, scope by role)' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiErrors(400, 401, 403, 409, 422)
  async create(@Body() dto: CreateUserDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<UserDto> {
    const problem = passwordProblem(dto.password, dto.username);
    if (problem) throw unprocessable('WEAK_PASSWORD', problem, 'password');
    let cityCode = dto.cityCode ?? null;
    const countyCode = dto.countyCode ?? null;
    if (dto.role === 'APPLICANT' && !dto.orgId) throw unprocessable('INVALID_INPUT', '申报单位账号须指定所属单位', 'orgId');
    if (dto.role === 'COUNTY_REVIEWER') {
      cityCode = countyCode ? cityOfCounty(countyCode) : null;
      if (!cityCode) throw unprocessable('INVALID_INPUT', '县级审核账号须指定本省的县（市、区）', 'countyCode');
    }
    if ((dto.role === 'CITY_IT' || dto.role === 'CITY_FINANCE') && findRegion(cityCode ?? '')?.level !== 'CITY') {
      throw unprocessable('INVALID_INPUT', '市级账号须指定本省的市', 'cityCode');
    }
    const exists: unknown[] = await this.ds.query('select 1 from users where username = $1', [dto.username]);
    if (exists.length) throw conflict('USERNAME_TAKEN', '用户名已存在', 'username');
    const [row]: Array<Record<string, unknown>> = await this.ds.query(
      `insert into users (username, display_name, password_hash, role, org_id, city_code, county_code) values ($1,$2,$3,$4,$5,$6,$7) returning ${COLUMNS}`,
      [dto.username, dto.displayName, await hashPassword(dto.password), dto.role, dto.role === 'APPLICANT' ? dto.orgId : null, cityCode, countyCode],
    );
    await this.audit.record(user, meta, 'ADMIN.USER_CREATE', 'SUCCESS', dto.username, { role: dto.role });
    return toDto(row);
  }

  @Patch('admin/users/:userId')
  @Roles('ADMIN')
  @ApiOperation({ summary: 'ADMIN: disable/enable, unlock or reset the password of an account (reason audited)' })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async update(@Param('userId', UuidPipe) userId: string, @Body() dto: UpdateUserDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<UserDto> {
    const [target]: Array<{ username: string }> = await this.ds.query('select username from users where id = $1', [userId]);
    if (!target) throw notFound('账号');
    if (dto.password !== undefined) {
      const problem = passwordProblem(dto.password, target.username);
      if (problem) throw unprocessable('WEAK_PASSWORD', problem, 'password');
      await this.ds.query('update users set password_hash = $2, password_changed_at = now() where id = $1', [userId, await hashPassword(dto.password)]);
      await this.ds.query('update sessions set revoked_at = now() where user_id = $1 and revoked_at is null', [userId]);
    }
    if (dto.unlock) await this.ds.query('update users set locked_until = null, failed_logins = 0 where id = $1', [userId]);
    if (dto.disabled !== undefined) {
      await this.ds.query('update users set disabled = $2 where id = $1', [userId, dto.disabled]);
      if (dto.disabled) await this.ds.query('update sessions set revoked_at = now() where user_id = $1 and revoked_at is null', [userId]);
    }
    await this.audit.record(user, meta, 'ADMIN.USER_UPDATE', 'SUCCESS', target.username, {
      disabled: dto.disabled ?? null,
      unlock: dto.unlock ?? false,
      passwordReset: dto.password !== undefined,
      reason: dto.reason,
    });
    const [row]: Array<Record<string, unknown>> = await this.ds.query(`select ${COLUMNS} from users where id = $1`, [userId]);
    return toDto(row);
  }
}
