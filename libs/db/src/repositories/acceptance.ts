import type { Rubric } from '@jiebang/domain';
import { EFFECTIVE_STAGE } from './applications';
import type { Queryable } from './queryable';
import { byName, openJoinedNames, orderWithin } from './users';

export interface AcceptanceRoundRow {
  id: string;
  campaign_id: string;
  number: number;
  title: string;
  created_at: Date;
  created_by_name: string | null;
  created_by: string;
}

/**
 * An application's entry in a round (or one due for a round): its projection, and the round's own
 * columns. An entry is one attempt: a rectification closes it, and the re-acceptance is an entry
 * of a later round.
 */
export interface AcceptanceEntryRow {
  round_id: string | null;
  application_id: string;
  campaign_id: string;
  project_name: string;
  org_name: string;
  /** The organisation's (recusal). */
  credit_code: string;
  task_code: string; city_code: string; stage: string;
  pending: string | null;
  acceptance_due_at: Date | null;
  /** The province's proposal (awaiting 省财政厅 while the projection's pending says so). */
  proposed: 'PASS' | 'FAIL' | 'RECTIFY' | null;
  /** RECTIFY: its new due time and requirements. */
  proposed_due_at: Date | null;
  proposed_comment: string | null;
  proposed_by: string | null;
  /** The entry's attempt: 1, then one more after each rectification. */
  attempt: number;
  /** When a rectification of this attempt closed the entry (its round is over for it). */
  rectified_at: Date | null;
}

export interface AcceptanceScoreRow {
  application_id: string;
  attempt: number;
  expert_id: string;
  expert_name: string;
  total: string;
  criteria: Record<string, number>;
  comment: string;
}

/** The application's attempt now (alias `a`): one more than its rectifications. */
const ATTEMPT = '(1 + (select count(*)::int from acceptance_rectifications r where r.application_id = a.id))';
const ENTRY_COLUMNS = `e.round_id, a.id as application_id, a.campaign_id, a.project_name, o.name as org_name, o.credit_code, a.task_code, a.city_code,
  ${EFFECTIVE_STAGE} as stage, a.pending, a.acceptance_due_at, e.proposed, e.proposed_due_at, e.proposed_comment, e.proposed_by, e.attempt,
  (select r.ordered_at from acceptance_rectifications r where r.application_id = e.application_id and r.attempt = e.attempt) as rectified_at`;
const ENTRY_FROM = 'acceptance_entries e join applications a on a.id = e.application_id join organisations o on o.id = a.org_id';

/** Acceptance rounds (验收): their applications, panels, rectifications and scores, and the campaign's acceptance rubric. */
export class AcceptanceRepository {
  constructor(private readonly db: Queryable) {}

  /** The campaign's acceptance rubric (null: the default). */
  async rubric(campaignId: string): Promise<Rubric | null> {
    return ((await this.db.query('select acceptance_rubric from campaigns where id = $1', [campaignId])) as Array<{ acceptance_rubric: Rubric | null }>)[0]?.acceptance_rubric ?? null;
  }

  async setRubric(campaignId: string, rubric: Rubric): Promise<void> {
    await this.db.query('update campaigns set acceptance_rubric = $2, updated_at = now() where id = $1', [campaignId, JSON.stringify(rubric)]);
  }

  async rounds(campaignId: string): Promise<AcceptanceRoundRow[]> {
    const rows: AcceptanceRoundRow[] = await this.db.query(
      `select r.id, r.campaign_id, r.number, r.title, r.created_at, u.display_name as created_by_name, r.created_by::text as created_by
         from acceptance_rounds r join users u on u.id = r.created_by where r.campaign_id = $1 order by r.number desc`,
      [campaignId],
    );
    return openJoinedNames(this.db, rows, [['created_by_name', (r) => r.created_by]]);
  }

  async round(campaignId: string, roundId: string): Promise<AcceptanceRoundRow | null> {
    return (await this.rounds(campaignId)).find((r) => r.id === roundId) ?? null;
  }

  async byKey(campaignId: string, key: string): Promise<string | null> {
    const [row]: Array<{ id: string }> = await this.db.query('select id from acceptance_rounds where campaign_id = $1 and request_key = $2', [campaignId, key]);
    return row?.id ?? null;
  }

  /**
   * The campaign's applications in acceptance (due, granted early acceptance, or due again after a
   * rectification) whose attempt now no round holds yet.
   */
  candidates(campaignId: string): Promise<AcceptanceEntryRow[]> {
    return this.db.query(
      `select null::uuid as round_id, a.id as application_id, a.campaign_id, a.project_name, o.name as org_name, o.credit_code, a.task_code, a.city_code,
              ${EFFECTIVE_STAGE} as stage, a.pending, a.acceptance_due_at, null as proposed, null as proposed_due_at, null as proposed_comment, null as proposed_by,
              ${ATTEMPT} as attempt, null as rectified_at
         from applications a join organisations o on o.id = a.org_id
        where a.campaign_id = $1 and ${EFFECTIVE_STAGE} = 'ACCEPTANCE'
          and not exists (select 1 from acceptance_entries e where e.application_id = a.id and e.attempt = ${ATTEMPT})
        order by a.acceptance_due_at, a.id`,
      [campaignId],
    );
  }

  entries(roundIds: string[]): Promise<AcceptanceEntryRow[]> {
    return this.db.query(`select ${ENTRY_COLUMNS} from ${ENTRY_FROM} where e.round_id = any($1::uuid[]) order by a.task_code, a.id`, [roundIds]);
  }

  /** The application's latest entry (its attempt now, or the one a rectification closed). */
  async entry(applicationId: string): Promise<AcceptanceEntryRow | null> {
    const [row] = await this.db.query(`select ${ENTRY_COLUMNS} from ${ENTRY_FROM} where e.application_id = $1 order by e.attempt desc limit 1`, [applicationId]);
    return row ?? null;
  }

  /** The entries whose panel seats this expert. */
  entriesOfExpert(expertId: string): Promise<AcceptanceEntryRow[]> {
    return this.db.query(
      `select ${ENTRY_COLUMNS} from ${ENTRY_FROM} join acceptance_panels p on p.round_id = e.round_id and p.application_id = e.application_id
        where p.expert_id = $1 order by a.id, e.attempt`,
      [expertId],
    );
  }

  /** The panels of these applications' entries, each with its round. */
  async panels(applicationIds: string[]): Promise<Array<{ round_id: string; application_id: string; expert_id: string; display_name: string }>> {
    const rows: Array<{ round_id: string; application_id: string; expert_id: string; display_name: string }> = await this.db.query(
      'select p.round_id, p.application_id, p.expert_id, u.display_name from acceptance_panels p join users u on u.id = p.expert_id where p.application_id = any($1) order by p.application_id, p.expert_id',
      [applicationIds],
    );
    return openJoinedNames(this.db, rows, [['display_name', (r) => r.expert_id]]).sort(byName((r) => r.display_name));
  }

  /** Acceptance panels each expert sits on in the campaign (the load to balance). */
  async loads(campaignId: string, expertIds: string[]): Promise<Map<string, number>> {
    const rows: Array<{ expert_id: string; n: number }> = await this.db.query(
      `select p.expert_id, count(*)::int as n from acceptance_panels p join applications a on a.id = p.application_id
        where a.campaign_id = $1 and p.expert_id = any($2::uuid[]) group by p.expert_id`,
      [campaignId, expertIds],
    );
    return new Map(expertIds.map((id) => [id, rows.find((r) => r.expert_id === id)?.n ?? 0]));
  }

  /** A new round with its applications and their panels (in a transaction, after the campaign's lock): its id. */
  async create(r: { campaignId: string; key: string; title: string; createdBy: string; panels: Array<{ applicationId: string; expertIds: string[] }> }): Promise<string> {
    const [row]: Array<{ id: string }> = await this.db.query(
      `insert into acceptance_rounds (campaign_id, number, request_key, title, created_by)
       values ($1, (select coalesce(max(number), 0) + 1 from acceptance_rounds where campaign_id = $1), $2, $3, $4) returning id`,
      [r.campaignId, r.key, r.title, r.createdBy],
    );
    // Each entry is the application's attempt now.
    await this.db.query(
      `insert into acceptance_entries (round_id, application_id, attempt)
       select $1, a.id, ${ATTEMPT} from applications a where a.id = any($2::text[])`,
      [row.id, r.panels.map((p) => p.applicationId)],
    );
    for (const p of r.panels) {
      await this.db.query('insert into acceptance_panels (round_id, application_id, expert_id) select $1, $2, unnest($3::uuid[])', [row.id, p.applicationId, p.expertIds]);
    }
    return row.id;
  }

  /** Which of these applications a round already holds for their attempt now. */
  async held(applicationIds: string[]): Promise<string[]> {
    const rows: Array<{ application_id: string }> = await this.db.query(
      `select e.application_id from acceptance_entries e join applications a on a.id = e.application_id where e.application_id = any($1) and e.attempt = ${ATTEMPT}`,
      [applicationIds],
    );
    return rows.map((r) => r.application_id);
  }

  /** One expert's score of one attempt; false when the expert had scored it already (a score stands). */
  async score(applicationId: string, attempt: number, expertId: string, criteria: Record<string, number>, total: number, comment: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      'insert into acceptance_scores (application_id, attempt, expert_id, criteria, total, comment) values ($1,$2,$3,$4,$5,$6) on conflict do nothing returning 1',
      [applicationId, attempt, expertId, JSON.stringify(criteria), total, comment],
    );
    return rows.length > 0;
  }

  async scores(applicationIds: string[]): Promise<AcceptanceScoreRow[]> {
    const rows: AcceptanceScoreRow[] = await this.db.query(
      `select s.application_id, s.attempt, s.expert_id, u.display_name as expert_name, s.total, s.criteria, s.comment
         from acceptance_scores s join users u on u.id = s.expert_id where s.application_id = any($1) order by s.application_id, s.attempt, s.expert_id`,
      [applicationIds],
    );
    return orderWithin(openJoinedNames(this.db, rows, [['expert_name', (r) => r.expert_id]]), (r) => `${r.application_id}/${r.attempt}`, (r) => r.expert_name);
  }

  rectifications(applicationIds: string[]): Promise<Array<{ application_id: string; attempt: number; due_at: Date; comment: string }>> {
    return this.db.query('select application_id, attempt, due_at, comment from acceptance_rectifications where application_id = any($1) order by application_id, attempt', [applicationIds]);
  }

  /**
   * A rectification in effect ends this attempt and closes its entry (once: a repeated one changes
   * nothing); the re-acceptance is for a later round.
   */
  async rectified(applicationId: string, attempt: number, dueAt: Date, comment: string, by: string): Promise<void> {
    await this.db.query(
      'insert into acceptance_rectifications (application_id, attempt, due_at, comment, ordered_by) values ($1,$2,$3,$4,$5) on conflict do nothing',
      [applicationId, attempt, dueAt, comment, by],
    );
  }

  /** The province's proposal on an attempt (RECTIFY with its due time, requirements and proposer); null clears it. */
  async proposed(applicationId: string, attempt: number, decision: 'PASS' | 'FAIL' | 'RECTIFY' | null, rectify?: { dueAt: Date; comment: string; by: string }): Promise<void> {
    await this.db.query(
      `update acceptance_entries set proposed = $3, proposed_at = case when $3::text is null then null else now() end, proposed_due_at = $4, proposed_comment = $5, proposed_by = $6
        where application_id = $1 and attempt = $2`,
      [applicationId, attempt, decision, rectify?.dueAt ?? null, rectify?.comment ?? null, rectify?.by ?? null],
    );
  }

  async anyScored(campaignId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query('select 1 from acceptance_scores s join applications a on a.id = s.application_id where a.campaign_id = $1 limit 1', [campaignId]);
    return rows.length > 0;
  }
}
