import { ApiProperty } from '@nestjs/swagger';

export class NotificationDto {
  id!: string;
  applicationId!: string | null;
  @ApiProperty({ enum: ['TODO', 'INFO', 'RESULT', 'RETURN', 'REMINDER'] }) category!: string;
  message!: string;
  createdAt!: string;
  read!: boolean;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto] }) items!: NotificationDto[];
  unread!: number;
}
