import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/decorators';
import { ApiErrors } from '../common/api-errors.decorator';
import { PageQueryDto } from '../common/paging';
import { iso } from '../common/time';
import { BigIntIdPipe } from '../common/pipes';

export class NotificationDto {
  @ApiProperty() id!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) applicationId!: string | null;
  @ApiProperty({ enum: ['TODO', 'INFO', 'RESULT', 'RETURN', 'REMINDER'] }) category!: string;
  @ApiProperty() message!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() read!: boolean;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto] }) items!: NotificationDto[];
  @ApiProperty() unread!: number;
}

/** Notifications addressed to the caller's role within their scope (or to them by id). */
function audienceWhere(u: AuthUser, args: unknown[]): string {
  args.push(u.role, u.userId);
  const role = `$${args.length - 1}`;
  const me = `$${args.length}`;
  const scope: string[] = [`n.recipient_role = ${role}`];
  if (u.role === 'APPLICANT') {
    args.push(u.orgId);
    scope.push(`n.org_id = $${args.length}`);
  } else if (u.role === 'COUNTY_REVIEWER') {
    args.push(u.countyCode);
    scope.push(`n.county_code = $${args.length}`);
  } else if (u.role === 'CITY_IT' || u.role === 'CITY_FINANCE') {
    args.push(u.cityCode);
    scope.push(`n.city_code = $${args.length}`);
  } else if (u.role === 'EXPERT') {
    scope.push(`${me}::uuid = any(n.user_ids)`);
  }
  return scope.join(' and ');
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly ds: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'My notifications (to-dos, returns, results, deadline reminders), newest first' })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiErrors(400, 401, 403)
  async list(@CurrentUser() user: AuthUser, @Query() q: PageQueryDto): Promise<NotificationPageDto> {
    const args: unknown[] = [];
    const where = audienceWhere(user, args);
    const meIdx = args.indexOf(user.userId) + 1;
    const rows: Array<{ id: string; application_id: string | null; category: string; message: string; created_at: Date; read: boolean }> = await this.ds.query(
      `select n.id::text, n.application_id, n.category, n.message, n.created_at,
              exists (select 1 from notification_reads r where r.notification_id = n.id and r.user_id = $${meIdx}) as read
         from notifications n where ${where} order by n.id desc limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
      args,
    );
    const [{ unread }] = await this.ds.query(
      `select count(*)::int as unread from notifications n where ${where}
         and not exists (select 1 from notification_reads r where r.notification_id = n.id and r.user_id = $${meIdx})`,
      args,
    );
    return {
      unread,
      items: rows.map((r) => ({ id: r.id, applicationId: r.application_id, category: r.category, message: r.message, createdAt: iso(r.created_at)!, read: r.read })),
    };
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark a notification read (one addressed to someone else is left alone)' })
  @ApiNoContentResponse({ description: 'Marked read' })
  @ApiErrors(400, 401, 403, 404)
  async read(@CurrentUser() user: AuthUser, @Param('id', BigIntIdPipe) id: string): Promise<void> {
    const args: unknown[] = [];
    const where = audienceWhere(user, args);
    args.push(id);
    await this.ds.query(
      `insert into notification_reads (notification_id, user_id)
         select n.id, $${args.indexOf(user.userId) + 1}::uuid from notifications n where ${where} and n.id = $${args.length}
       on conflict do nothing`,
      args,
    );
  }
}
