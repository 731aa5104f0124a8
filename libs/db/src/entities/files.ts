import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('files')
export class StoredFileEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'application_id', type: 'text', nullable: true }) applicationId!: string | null;
  @Column({ name: 'campaign_id', type: 'text', nullable: true }) campaignId!: string | null;
  @Column({ name: 'city_code', type: 'varchar', length: 6, nullable: true }) cityCode!: string | null;
  @Column('text') kind!: string;
  @Column('text') filename!: string;
  @Column('text') mime!: string;
  @Column('int') size!: number;
  @Column({ type: 'char', length: 64 }) sha256!: string;
  @Column('text') storage!: 'pg' | 'disk';
  @Column({ type: 'bytea', nullable: true, select: false }) content!: Buffer | null;
  @Column({ type: 'text', nullable: true }) path!: string | null;
  @Column({ name: 'uploaded_by', type: 'uuid', nullable: true }) uploadedBy!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true }) deletedAt!: Date | null;
}

@Entity('city_reports')
export class CityReportEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'campaign_id', type: 'text' }) campaignId!: string;
  @Column({ name: 'city_code', type: 'varchar', length: 6 }) cityCode!: string;
  @Column({ name: 'file_id', type: 'uuid' }) fileId!: string;
  @Column({ type: 'text', nullable: true }) note!: string | null;
  @Column({ name: 'uploaded_by', type: 'uuid', nullable: true }) uploadedBy!: string | null;
  @Column({ name: 'uploaded_at', type: 'timestamptz', default: () => 'now()' }) uploadedAt!: Date;
  @Column({ name: 'paper_received_at', type: 'timestamptz', nullable: true }) paperReceivedAt!: Date | null;
}
