import { Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/decorators';
import { ApiErrors } from '../common/api-errors.decorator';
import { PageQueryDto } from '../common/paging';
import { NotificationPageDto } from './notifications.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'My notifications (to-dos, returns, results, deadline reminders), newest first' })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiErrors(400, 401, 403)
  list(@CurrentUser() user: AuthUser, @Query() q: PageQueryDto): Promise<NotificationPageDto> {
    return this.notifications.page(user, q.page, q.pageSize);
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark a notification read (one addressed to someone else is left alone)' })
  @ApiNoContentResponse({ description: 'Marked read' })
  @ApiErrors(400, 401, 403)
  read(@CurrentUser() user: AuthUser, @Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.notifications.markRead(user, id);
  }
}
