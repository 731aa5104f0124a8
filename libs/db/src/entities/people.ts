import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { ApplicantType, Role } from '@jiebang/domain';

@Entity('org_groups')
export class OrgGroupEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
}

@Entity('organisations')
export class OrganisationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'credit_code', type: 'char', length: 18 }) creditCode!: string;
  @Column('text') name!: string;
  @Column({ name: 'applicant_type', type: 'text' }) applicantType!: ApplicantType;
  @Column({ name: 'is_central_soe', type: 'boolean', default: false }) isCentralSoe!: boolean;
  @Column({ name: 'is_provincial_soe', type: 'boolean', default: false }) isProvincialSoe!: boolean;
  @Column({ name: 'is_subsidiary', type: 'boolean', default: false }) isSubsidiary!: boolean;
  @Column({ name: 'parent_name', type: 'text', nullable: true }) parentName!: string | null;
  @Column({ name: 'group_id', type: 'uuid', nullable: true }) groupId!: string | null;
  @Column({ name: 'city_code', type: 'varchar', length: 6 }) cityCode!: string;
  @Column({ name: 'county_code', type: 'varchar', length: 6 }) countyCode!: string;
  @Column({ type: 'text', nullable: true }) address!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') username!: string;
  @Column({ name: 'display_name', type: 'text' }) displayName!: string;
  @Column({ name: 'password_hash', type: 'text', select: false }) passwordHash!: string;
  @Column('text') role!: Role;
  @Column({ name: 'org_id', type: 'uuid', nullable: true }) orgId!: string | null;
  @Column({ name: 'city_code', type: 'varchar', length: 6, nullable: true }) cityCode!: string | null;
  @Column({ name: 'county_code', type: 'varchar', length: 6, nullable: true }) countyCode!: string | null;
  @Column({ name: 'totp_secret', type: 'text', nullable: true, select: false }) totpSecret!: string | null;
  @Column({ name: 'totp_enabled', type: 'boolean', default: false }) totpEnabled!: boolean;
  @Column({ name: 'failed_logins', type: 'int', default: 0 }) failedLogins!: number;
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true }) lockedUntil!: Date | null;
  @Column({ name: 'password_changed_at', type: 'timestamptz' }) passwordChangedAt!: Date;
  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true }) lastLoginAt!: Date | null;
  @Column({ type: 'boolean', default: false }) disabled!: boolean;
  @Column({ name: 'is_demo', type: 'boolean', default: false }) isDemo!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('sessions')
export class SessionEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'last_seen_at', type: 'timestamptz' }) lastSeenAt!: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
  @Column({ type: 'text', nullable: true }) ip!: string | null;
  @Column({ name: 'user_agent', type: 'text', nullable: true }) userAgent!: string | null;
}
