import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Stage } from '@jiebang/domain';

/** The application's domain data and the projection of its workflow. */
@Entity('applications')
export class ApplicationEntity {
  @PrimaryColumn('text') id!: string;
  @Column({ name: 'campaign_id', type: 'text' }) campaignId!: string;
  @Column({ name: 'task_code', type: 'varchar', length: 8 }) taskCode!: string;
  @Column({ name: 'org_id', type: 'uuid' }) orgId!: string;
  @Column({ name: 'city_code', type: 'varchar', length: 6 }) cityCode!: string;
  @Column({ name: 'county_code', type: 'varchar', length: 6 }) countyCode!: string;
  @Column({ name: 'project_name', type: 'text' }) projectName!: string;
  @Column({ type: 'jsonb', default: {} }) project!: Record<string, unknown>;
  @Column({ type: 'jsonb', default: {} }) unit!: Record<string, unknown>;
  @Column({ type: 'jsonb', default: {} }) attestations!: Record<string, boolean>;
  @Column('text') stage!: Stage;
  @Column({ name: 'stage_entered_at', type: 'timestamptz' }) stageEnteredAt!: Date;
  @Column({ name: 'deadline_at', type: 'timestamptz', nullable: true }) deadlineAt!: Date | null;
  @Column('int') seq!: number;
  @Column({ name: 'quota_exempt', type: 'boolean' }) quotaExempt!: boolean;
  @Column({ name: 'quota_held', type: 'boolean' }) quotaHeld!: boolean;
  @Column({ type: 'text', nullable: true }) pending!: string | null;
  @Column({ name: 'paper_received_at', type: 'timestamptz', nullable: true }) paperReceivedAt!: Date | null;
  @Column({ type: 'boolean' }) selected!: boolean;
  @Column({ name: 'average_score', type: 'numeric', nullable: true }) averageScore!: string | null;
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true }) publishedAt!: Date | null;
  @Column({ name: 'acceptance_due_at', type: 'timestamptz', nullable: true }) acceptanceDueAt!: Date | null;
  @Column({ name: 'acceptance_overdue', type: 'boolean' }) acceptanceOverdue!: boolean;
  @Column({ name: 'archive_count', type: 'int' }) archiveCount!: number;
  @Column({ name: 'last_return_reason', type: 'text', nullable: true }) lastReturnReason!: string | null;
  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true }) submittedAt!: Date | null;
  @Column({ name: 'recommended_at', type: 'timestamptz', nullable: true }) recommendedAt!: Date | null;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt!: Date | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}

@Entity('application_experts')
export class ApplicationExpertEntity {
  @PrimaryColumn({ name: 'application_id', type: 'text' }) applicationId!: string;
  @PrimaryColumn({ name: 'expert_id', type: 'uuid' }) expertId!: string;
}

@Entity('application_events')
export class ApplicationEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'application_id', type: 'text' }) applicationId!: string;
  @Column('int') seq!: number;
  @Column('text') action!: string;
  @Column({ name: 'from_stage', type: 'text' }) fromStage!: Stage;
  @Column({ name: 'to_stage', type: 'text' }) toStage!: Stage;
  @Column({ name: 'actor_id', type: 'text' }) actorId!: string;
  @Column({ name: 'actor_role', type: 'text' }) actorRole!: string;
  @Column({ name: 'actor_name', type: 'text', nullable: true }) actorName!: string | null;
  @Column({ type: 'text', nullable: true }) comment!: string | null;
  @Column({ type: 'jsonb', nullable: true }) detail!: Record<string, unknown> | null;
  @Column({ name: 'update_id', type: 'text', nullable: true }) updateId!: string | null;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt!: Date;
  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' }) recordedAt!: Date;
}

@Entity('quota_reservations')
export class QuotaReservationEntity {
  @PrimaryColumn({ name: 'application_id', type: 'text' }) applicationId!: string;
  @Column({ name: 'campaign_id', type: 'text' }) campaignId!: string;
  @Column({ name: 'city_code', type: 'varchar', length: 6 }) cityCode!: string;
  @Column('text') status!: 'RESERVED' | 'CONSUMED' | 'RELEASED';
  @Column({ name: 'reserved_at', type: 'timestamptz' }) reservedAt!: Date;
  @Column({ name: 'changed_at', type: 'timestamptz' }) changedAt!: Date;
}

@Entity('applicant_slots')
export class ApplicantSlotEntity {
  @PrimaryColumn({ name: 'application_id', type: 'text' }) applicationId!: string;
  @Column({ name: 'campaign_id', type: 'text' }) campaignId!: string;
  @Column({ name: 'org_id', type: 'uuid' }) orgId!: string;
  @Column({ name: 'group_id', type: 'uuid', nullable: true }) groupId!: string | null;
  @Column('text') status!: 'HELD' | 'RELEASED';
  @Column({ name: 'changed_at', type: 'timestamptz' }) changedAt!: Date;
}

@Entity('reserve_pool')
export class ReservePoolEntity {
  @PrimaryColumn({ name: 'application_id', type: 'text' }) applicationId!: string;
  @Column({ name: 'campaign_id', type: 'text' }) campaignId!: string;
  @Column({ name: 'org_id', type: 'uuid' }) orgId!: string;
  @Column({ name: 'added_at', type: 'timestamptz' }) addedAt!: Date;
}

@Entity('notifications')
export class NotificationEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('text') key!: string;
  @Column({ name: 'application_id', type: 'text', nullable: true }) applicationId!: string | null;
  @Column({ name: 'recipient_role', type: 'text' }) recipientRole!: string;
  @Column({ name: 'org_id', type: 'uuid', nullable: true }) orgId!: string | null;
  @Column({ name: 'city_code', type: 'varchar', length: 6, nullable: true }) cityCode!: string | null;
  @Column({ name: 'county_code', type: 'varchar', length: 6, nullable: true }) countyCode!: string | null;
  @Column({ name: 'user_ids', type: 'uuid', array: true, nullable: true }) userIds!: string[] | null;
  @Column('text') category!: string;
  @Column('text') message!: string;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
}

@Entity('idempotency_keys')
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'actor_id', type: 'text' }) actorId!: string;
  @PrimaryColumn('text') key!: string;
  @Column({ name: 'application_id', type: 'text' }) applicationId!: string;
  @Column('text') action!: string;
  @Column({ name: 'request_hash', type: 'char', length: 64 }) requestHash!: string;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
}
