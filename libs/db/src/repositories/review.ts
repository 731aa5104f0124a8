import type { Rubric } from '@jiebang/domain';
import { EFFECTIVE_STAGE } from './applications';
import type { Queryable } from './queryable';
import { openJoinedNames, openUserNames, orderWithin } from './users';

export interface ExpertTieRow {
  credit_code: string;
  org_name: string;
  note: string | null;
  declared_at: Date;
}

export interface RankingRow {
  id: string;
  project_name: string;
  org_name: string;
  credit_code: string;
  city_code: string;
  stage: string;
  formal_check: string | null;
  selected: boolean;
  expert_id: string | null;
  expert_name: string | null;
  score: string | null;
  criteria: Record<string, number> | null;
  scored_at: Date | null;
}

/**
 * Expert review's data: the ties experts declare (`expert_ties`, 回避), the campaign's rubric,
 * the panels' load and the rows a task's ranking is made of (the panel projection
 * `application_experts`, written by the workflows' steps).
 */
export class ReviewRepository {
  constructor(private readonly db: Queryable) {}

  ties(expertId: string): Promise<ExpertTieRow[]> {
    return this.db.query('select credit_code, org_name, note, declared_at from expert_ties where expert_id = $1 order by declared_at, credit_code', [expertId]);
  }

  /** The expert's declaration as a whole (in a transaction): exactly these ties. */
  async setTies(expertId: string, ties: Array<{ creditCode: string; orgName: string; note: string | null }>): Promise<void> {
    await this.db.query('delete from expert_ties where expert_id = $1 and not (credit_code = any($2::char(18)[]))', [expertId, ties.map((t) => t.creditCode)]);
    for (const t of ties) {
      await this.db.query(
        `insert into expert_ties (expert_id, credit_code, org_name, note) values ($1,$2,$3,$4)
         on conflict (expert_id, credit_code) do update set org_name = excluded.org_name, note = excluded.note`,
        [expertId, t.creditCode, t.orgName, t.note],
      );
    }
  }

  /** The credit codes each of these experts declared a tie to. */
  async tiesOf(expertIds: string[]): Promise<Map<string, Set<string>>> {
    const rows: Array<{ expert_id: string; credit_code: string }> = await this.db.query('select expert_id, credit_code from expert_ties where expert_id = any($1::uuid[])', [expertIds]);
    const out = new Map(expertIds.map((id) => [id, new Set<string>()]));
    for (const r of rows) out.get(r.expert_id)?.add(r.credit_code);
    return out;
  }

  /** Which of these users are active experts (by id), with their names. */
  async activeExperts(ids: string[]): Promise<Array<{ id: string; display_name: string }>> {
    const rows: Array<{ id: string; display_name: string }> = await this.db.query(`select id, display_name from users where id = any($1::uuid[]) and role = 'EXPERT' and not disabled order by id`, [ids]);
    return rows.map((r) => openUserNames(this.db, r));
  }

  async rubric(campaignId: string): Promise<Rubric | null> {
    const [row]: Array<{ rubric: Rubric | null }> = await this.db.query('select rubric from campaigns where id = $1', [campaignId]);
    return row?.rubric ?? null;
  }

  async setRubric(campaignId: string, rubric: Rubric): Promise<void> {
    await this.db.query('update campaigns set rubric = $2, updated_at = now() where id = $1', [campaignId, JSON.stringify(rubric)]);
  }

  /** Whether any expert of the campaign has scored (the rubric is then fixed). */
  async anyScored(campaignId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      'select 1 from application_experts e join applications a on a.id = e.application_id where a.campaign_id = $1 and e.scored_at is not null limit 1',
      [campaignId],
    );
    return rows.length > 0;
  }

  /** Panels each expert sits on in the campaign, leaving out these applications (which are being re-seated). */
  async loads(campaignId: string, expertIds: string[], except: string[]): Promise<Map<string, number>> {
    const rows: Array<{ expert_id: string; n: number }> = await this.db.query(
      `select e.expert_id, count(*)::int as n from application_experts e join applications a on a.id = e.application_id
        where a.campaign_id = $1 and e.expert_id = any($2::uuid[]) and not (a.id = any($3)) group by e.expert_id`,
      [campaignId, expertIds, except],
    );
    const out = new Map(expertIds.map((id) => [id, 0]));
    for (const r of rows) out.set(r.expert_id, r.n);
    return out;
  }

  /** A task's applications in provincial review, with their organisation's credit code. */
  reviewTargets(campaignId: string, taskCode: string): Promise<Array<{ id: string; project_name: string; org_name: string; credit_code: string; formal_check: string | null; selected: boolean; pending: string | null }>> {
    return this.db.query(
      `select a.id, a.project_name, o.name as org_name, o.credit_code, a.formal_check, a.selected, a.pending
         from applications a join organisations o on o.id = a.org_id
        where a.campaign_id = $1 and a.task_code = $2 and ${EFFECTIVE_STAGE} = 'PROVINCIAL_REVIEW' order by a.id`,
      [campaignId, taskCode],
    );
  }

  /** One row per application and assigned expert (or one with no expert) of a task that reached provincial review. */
  async ranking(campaignId: string, taskCode: string): Promise<RankingRow[]> {
    const rows: RankingRow[] = await this.db.query(
      `select a.id, a.project_name, o.name as org_name, o.credit_code, a.city_code, ${EFFECTIVE_STAGE} as stage, a.formal_check, a.selected,
              e.expert_id, u.display_name as expert_name, e.score, e.criteria, e.scored_at
         from applications a join organisations o on o.id = a.org_id
         left join application_experts e on e.application_id = a.id
         left join users u on u.id = e.expert_id
        where a.campaign_id = $1 and a.task_code = $2
          and ${EFFECTIVE_STAGE} in ('PROVINCIAL_REVIEW','CLOSED_NOT_SELECTED','PUBLICITY','IMPLEMENTATION','ACCEPTANCE','ACCEPTED','ACCEPTANCE_FAILED')
        order by a.id, e.expert_id`,
      [campaignId, taskCode],
    );
    return orderWithin(openJoinedNames(this.db, rows, [['expert_name', (r) => r.expert_id]]), (r) => r.id, (r) => r.expert_name);
  }
}
