import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

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
