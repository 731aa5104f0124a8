import { EFFECTIVE_STAGE } from './applications';
import type { Queryable } from './queryable';
import { TASK_NAME_SQL } from './campaigns';
import { openJoinedNames } from './users';

export type SelectionListStatus = 'PROPOSED' | 'CONCURRED' | 'DISAGREED' | 'PUBLICITY';

export interface SelectionListRow {
  id: string;
  campaign_id: string;
  number: number;
  status: SelectionListStatus;
  proposed_by: string;
  proposed_by_name: string | null;
  proposed_at: Date;
  comment: string | null;
  finance_by: string | null;
  finance_by_name: string | null;
  finance_at: Date | null;
  finance_comment: string | null;
  publicity_by: string | null;
  publicity_opened_at: Date | null;
  publicity_ends_at: Date | null;
}

export interface SelectionEntryRow {
  list_id: string;
  application_id: string;
  task_code: string;
  task_name: string | null;
  decision: 'SELECT' | 'NOT_SELECT';
  rank: number | null;
  average_score: string | null;
  comment: string | null;
  project_name: string;
  org_name: string;
  city_code: string;
  stage: string;
  selected: boolean;
  pending: string | null;
}

export interface NewSelectionEntry {
  applicationId: string;
  taskCode: string;
  decision: 'SELECT' | 'NOT_SELECT';
  rank: number | null;
  average: number | null;
  comment: string | null;
}

const LIST_COLUMNS = `l.id, l.campaign_id, l.number, l.status, l.proposed_by, p.display_name as proposed_by_name, l.proposed_at, l.comment,
  l.finance_by, f.display_name as finance_by_name, l.finance_at, l.finance_comment, l.publicity_by, l.publicity_opened_at, l.publicity_ends_at`;
const LIST_FROM = 'selection_lists l join users p on p.id = l.proposed_by left join users f on f.id = l.finance_by';

/** The selection lists (入围名单) of a campaign and their entries, with each entry's stage now. */
export class SelectionRepository {
  constructor(private readonly db: Queryable) {}

  async lists(campaignId: string): Promise<SelectionListRow[]> {
    return this.named(await this.db.query(`select ${LIST_COLUMNS} from ${LIST_FROM} where l.campaign_id = $1 order by l.number desc`, [campaignId]));
  }

  async list(campaignId: string, listId: string): Promise<SelectionListRow | null> {
    const [row] = this.named(await this.db.query(`select ${LIST_COLUMNS} from ${LIST_FROM} where l.campaign_id = $1 and l.id = $2`, [campaignId, listId]));
    return row ?? null;
  }

  /** The proposer's and the finance reviewer's names in clear (sealed in users). */
  private named(rows: SelectionListRow[]): SelectionListRow[] {
    return openJoinedNames(this.db, rows, [
      ['proposed_by_name', (r) => r.proposed_by],
      ['finance_by_name', (r) => r.finance_by],
    ]);
  }

  /** The list, locked for its next step (in a transaction). */
  async lock(campaignId: string, listId: string): Promise<SelectionListRow | null> {
    const [row] = await this.db.query('select id from selection_lists where campaign_id = $1 and id = $2 for update', [campaignId, listId]);
    return row ? this.list(campaignId, listId) : null;
  }

  async byKey(campaignId: string, key: string): Promise<string | null> {
    const [row]: Array<{ id: string }> = await this.db.query('select id from selection_lists where campaign_id = $1 and request_key = $2', [campaignId, key]);
    return row?.id ?? null;
  }

  /** The list awaiting concurrence, if any. */
  async proposed(campaignId: string): Promise<string | null> {
    const [row]: Array<{ id: string }> = await this.db.query(`select id from selection_lists where campaign_id = $1 and status = 'PROPOSED'`, [campaignId]);
    return row?.id ?? null;
  }

  entries(listIds: string[]): Promise<SelectionEntryRow[]> {
    return this.db.query(
      `select e.list_id, e.application_id, e.task_code, ${TASK_NAME_SQL} as task_name, e.decision, e.rank, e.average_score, e.comment,
              a.project_name, o.name as org_name, a.city_code, ${EFFECTIVE_STAGE} as stage, a.selected, a.pending
         from selection_list_entries e join applications a on a.id = e.application_id join organisations o on o.id = a.org_id
        where e.list_id = any($1::uuid[]) order by e.task_code, e.decision, e.rank nulls last, e.application_id`,
      [listIds],
    );
  }

  /** A new list with its entries (in a transaction, after the campaign's lock): its id. */
  async create(campaignId: string, key: string, by: string, comment: string | null, entries: NewSelectionEntry[]): Promise<string> {
    const [row]: Array<{ id: string }> = await this.db.query(
      `insert into selection_lists (campaign_id, number, request_key, status, proposed_by, comment)
       values ($1, (select coalesce(max(number), 0) + 1 from selection_lists where campaign_id = $1), $2, 'PROPOSED', $3, $4) returning id`,
      [campaignId, key, by, comment],
    );
    for (const e of entries) {
      await this.db.query(
        'insert into selection_list_entries (list_id, application_id, task_code, decision, rank, average_score, comment) values ($1,$2,$3,$4,$5,$6,$7)',
        [row.id, e.applicationId, e.taskCode, e.decision, e.rank, e.average, e.comment],
      );
    }
    return row.id;
  }

  async concurred(listId: string, by: string, agree: boolean, comment: string | null): Promise<void> {
    await this.db.query(`update selection_lists set status = $2, finance_by = $3, finance_at = now(), finance_comment = $4 where id = $1`, [listId, agree ? 'CONCURRED' : 'DISAGREED', by, comment]);
  }

  async publicityOpened(listId: string, by: string, endsAt: Date): Promise<void> {
    await this.db.query(`update selection_lists set status = 'PUBLICITY', publicity_by = $2, publicity_opened_at = now(), publicity_ends_at = $3 where id = $1`, [listId, by, endsAt]);
  }
}
