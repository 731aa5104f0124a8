import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

@Entity('campaigns')
export class CampaignEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('int') year!: number;
  @Column({ name: 'is_practice', type: 'boolean', default: false }) isPractice!: boolean;
  @Column({ name: 'shutdown_at', type: 'timestamptz' }) shutdownAt!: Date;
  @Column({ name: 'paper_deadline_at', type: 'timestamptz', nullable: true }) paperDeadlineAt!: Date | null;
  @Column({ name: 'limit_service_provider', type: 'int' }) limitServiceProvider!: number;
  @Column({ name: 'limit_manufacturer', type: 'int' }) limitManufacturer!: number;
  @Column({ name: 'limit_group', type: 'int' }) limitGroup!: number;
  @Column({ name: 'acceptance_grace_days', type: 'int' }) acceptanceGraceDays!: number;
  @Column({ name: 'reminder_hours', type: 'int', array: true }) reminderHours!: number[];
  @Column({ name: 'rules_version', type: 'int' }) rulesVersion!: number;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}

@Entity('region_cutoffs')
export class RegionCutoffEntity {
  @PrimaryColumn({ name: 'campaign_id', type: 'text' }) campaignId!: string;
  @PrimaryColumn({ name: 'region_code', type: 'varchar', length: 6 }) regionCode!: string;
  @Column({ name: 'cutoff_at', type: 'timestamptz' }) cutoffAt!: Date;
  @Column({ name: 'updated_by', type: 'uuid', nullable: true }) updatedBy!: string | null;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}

@Entity('city_quotas')
export class CityQuotaEntity {
  @PrimaryColumn({ name: 'campaign_id', type: 'text' }) campaignId!: string;
  @PrimaryColumn({ name: 'city_code', type: 'varchar', length: 6 }) cityCode!: string;
  @Column('int') quota!: number;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}

@Entity('prior_pilots')
export class PriorPilotEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'credit_code', type: 'char', length: 18 }) creditCode!: string;
  @Column({ name: 'org_name', type: 'text' }) orgName!: string;
  @Column({ name: 'group_id', type: 'uuid', nullable: true }) groupId!: string | null;
  @Column('text') batch!: '2025-1' | '2025-2';
  @Column({ name: 'project_name', type: 'text' }) projectName!: string;
  @Column({ name: 'counts_for_year', type: 'int' }) countsForYear!: number;
}
