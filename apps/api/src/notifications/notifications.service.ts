import { Injectable } from '@nestjs/common';
import { Repositories } from '@jiebang/db';
import type { AuthUser } from '../auth/auth.types';
import { iso } from '../common/time';
import type { NotificationPageDto } from './notifications.dto';

/** The caller's notifications: those addressed to their role within their scope, or to them. */
@Injectable()
export class NotificationsService {
  constructor(private readonly db: Repositories) {}

  async page(user: AuthUser, page: number, pageSize: number): Promise<NotificationPageDto> {
    const rows = await this.db.notifications.page(user, pageSize, (page - 1) * pageSize);
    const unread = await this.db.notifications.unread(user);
    return {
      unread,
      items: rows.map((r) => ({ id: r.id, applicationId: r.application_id, category: r.category, message: r.message, createdAt: iso(r.created_at)!, read: r.read })),
    };
  }

  markRead(user: AuthUser, id: string): Promise<void> {
    return this.db.notifications.markRead(user, id);
  }
}
