import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type MailStatus = 'PENDING' | 'SENDING' | 'SENT' | 'FAILED';

/** A mail queued in the transaction of the change that causes it (see mail-outbox.ts). */
@Entity('mail_outbox')
export class MailOutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'idempotency_key', type: 'text' }) idempotencyKey!: string;
  @Column('text') category!: string;
  @Column({ name: 'to_address', type: 'text' }) toAddress!: string;
  @Column('text') subject!: string;
  @Column({ name: 'text_body', type: 'text', nullable: true }) textBody!: string | null;
  @Column({ name: 'html_body', type: 'text', nullable: true }) htmlBody!: string | null;
  @Column('text') status!: MailStatus;
  @Column('int') attempts!: number;
  @Column({ name: 'available_at', type: 'timestamptz' }) availableAt!: Date;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  @Column({ name: 'claimed_by', type: 'text', nullable: true }) claimedBy!: string | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError!: string | null;
  @Column({ name: 'message_id', type: 'text', nullable: true }) messageId!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true }) sentAt!: Date | null;
}
