import { Param, Query } from '@nestjs/common';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/decorators';
import { ApiController, Endpoint } from '../common/endpoint.decorator';
import { PageQueryDto } from '../common/paging';
import { BigIntIdPipe } from '../common/pipes';
import { NotificationPageDto } from './notifications.dto';
import { NotificationsService } from './notifications.service';

@ApiController('notifications', 'api/v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Endpoint('GET', '', { summary: 'My notifications (to-dos, returns, results, deadline reminders), newest first', ok: NotificationPageDto, errors: [400, 401, 403] })
  list(@CurrentUser() user: AuthUser, @Query() q: PageQueryDto): Promise<NotificationPageDto> {
    return this.notifications.page(user, q.page, q.pageSize);
  }

  @Endpoint('POST', ':id/read', { status: 204, summary: 'Mark a notification read (one addressed to someone else is left alone)', noContent: 'Marked read', errors: [400, 401, 403, 404] })
  read(@CurrentUser() user: AuthUser, @Param('id', BigIntIdPipe) id: string): Promise<void> {
    return this.notifications.markRead(user, id);
  }
}
