import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('regions')
export class RegionEntity {
  @PrimaryColumn({ type: 'varchar', length: 6 }) code!: string;
  @Column('text') name!: string;
  @Column('text') level!: 'PROVINCE' | 'CITY' | 'COUNTY';
  @Column({ name: 'parent_code', type: 'varchar', length: 6, nullable: true }) parentCode!: string | null;
}

@Entity('tasks')
export class TaskEntity {
  @PrimaryColumn({ type: 'varchar', length: 8 }) code!: string;
  @Column('text') direction!: string;
  @Column({ name: 'direction_name', type: 'text' }) directionName!: string;
  @Column('text') name!: string;
  @Column({ name: 'enters_reserve_pool', type: 'boolean' }) entersReservePool!: boolean;
  @Column('int') sort!: number;
}
