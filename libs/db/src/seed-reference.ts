import type { DataSource } from 'typeorm';
import { DIRECTIONS, TASKS } from '@jiebang/domain';
import { REGIONS } from '@jiebang/domain/reference/regions';

/** Upsert the reference data every deployment needs: regions (GB/T 2260) and tasks. Idempotent. */
export async function seedReferenceData(ds: DataSource): Promise<{ regions: number; tasks: number }> {
  await ds.transaction(async (m) => {
    // Parents first: the province, then cities, then counties.
    const ordered = [...REGIONS].sort((a, b) => ['PROVINCE', 'CITY', 'COUNTY'].indexOf(a.level) - ['PROVINCE', 'CITY', 'COUNTY'].indexOf(b.level));
    const chunk = 200;
    for (let i = 0; i < ordered.length; i += chunk) {
      const part = ordered.slice(i, i + chunk);
      await m.query(
        `insert into regions (code, name, level, parent_code)
         select * from unnest($1::varchar[], $2::text[], $3::text[], $4::varchar[])
         on conflict (code) do update set name = excluded.name, level = excluded.level, parent_code = excluded.parent_code`,
        [part.map((r) => r.code), part.map((r) => r.name), part.map((r) => r.level), part.map((r) => r.parentCode)],
      );
    }
    for (const [i, t] of TASKS.entries()) {
      const dir = DIRECTIONS.find((d) => d.code === t.direction)!;
      await m.query(
        `insert into tasks (code, direction, direction_name, name, enters_reserve_pool, sort) values ($1,$2,$3,$4,$5,$6)
         on conflict (code) do update set direction = excluded.direction, direction_name = excluded.direction_name, name = excluded.name,
           enters_reserve_pool = excluded.enters_reserve_pool, sort = excluded.sort`,
        [t.code, t.direction, dir.name, t.name, t.entersReservePool, i + 1],
      );
    }
  });
  return { regions: REGIONS.length, tasks: TASKS.length };
}
