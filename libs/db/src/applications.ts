import type { DataSource, EntityManager } from 'typeorm';

/** Business ID and workflow ID of an application: campaign code and a running number. */
export async function nextApplicationId(db: DataSource | EntityManager, campaignId: string): Promise<string> {
  const [{ n }]: Array<{ n: string }> = await db.query(`select nextval('application_number')::text as n`);
  return `JB${campaignId}-${n.padStart(6, '0')}`;
}

export interface NewApplicationRow {
  id: string;
  campaignId: string;
  taskCode: string;
  orgId: string;
  cityCode: string;
  countyCode: string;
  projectName: string;
  project?: Record<string, unknown>;
  unit?: Record<string, unknown>;
  attestations?: Record<string, boolean>;
  quotaExempt: boolean;
  createdBy?: string | null;
  createdAt: Date;
  deadlineAt: Date | null;
}

export async function insertApplicationRow(db: DataSource | EntityManager, r: NewApplicationRow): Promise<void> {
  await db.query(
    `insert into applications (id, campaign_id, task_code, org_id, city_code, county_code, project_name, project, unit, attestations,
       stage, stage_entered_at, deadline_at, seq, quota_exempt, created_by, created_at, updated_at)
     values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,'DRAFT',$11,$12,0,$13,$14,$11,$11)`,
    [
      r.id,
      r.campaignId,
      r.taskCode,
      r.orgId,
      r.cityCode,
      r.countyCode,
      r.projectName,
      JSON.stringify(r.project ?? {}),
      JSON.stringify(r.unit ?? {}),
      JSON.stringify(r.attestations ?? {}),
      r.createdAt,
      r.deadlineAt,
      r.quotaExempt,
      r.createdBy ?? null,
    ],
  );
}
