import type { Queryable } from './queryable';

/** One pilot project of an earlier year (`prior_pilots`), known by credit code, batch (`<year>-<n>`) and project name. */
export interface PilotRow {
  credit_code: string;
  org_name: string;
  batch: string;
  project_name: string;
  pilot_year: number;
}

/** The earlier years' pilot list (`prior_pilots`), which the limits count (SlotsRepository.counts). */
export class PilotsRepository {
  constructor(private readonly db: Queryable) {}

  /** The pilots among these keys (credit code, batch, project name), as stored. */
  byKeys(keys: Array<{ creditCode: string; batch: string; projectName: string }>): Promise<PilotRow[]> {
    if (!keys.length) return Promise.resolve([]);
    return this.db.query(
      `select p.credit_code, p.org_name, p.batch, p.project_name, p.year as pilot_year
         from prior_pilots p join unnest($1::text[], $2::text[], $3::text[]) k(credit_code, batch, project_name)
           on p.credit_code = k.credit_code and p.batch = k.batch and p.project_name = k.project_name`,
      [keys.map((k) => k.creditCode), keys.map((k) => k.batch), keys.map((k) => k.projectName)],
    );
  }

  /** Adds a pilot or corrects its organisation's name; true when a row was written. */
  async upsert(p: { creditCode: string; orgName: string; batch: string; projectName: string }): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `insert into prior_pilots (credit_code, org_name, batch, project_name) values ($1,$2,$3,$4)
       on conflict (credit_code, batch, project_name) do update set org_name = excluded.org_name
         where prior_pilots.org_name is distinct from excluded.org_name
       returning id`,
      [p.creditCode, p.orgName, p.batch, p.projectName],
    );
    return rows.length > 0;
  }

}
