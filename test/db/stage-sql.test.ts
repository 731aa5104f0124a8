/**
 * The SQL stage vocabulary (libs/db/src/sql/stages.ts) agrees with the domain's functions for
 * every stage: each fragment is evaluated in PostgreSQL for every stage, with its deadline
 * absent, passed and ahead, and compared with what libs/domain says.
 */
import { bindingCutoff, closingStageAtCutoff, EDITABLE_STAGES, HOUR_MS, isPreShutdown, isTerminal, STAGES, type CampaignRules, type Stage } from '@jiebang/domain';
import * as sql from '@jiebang/db';
import { useTestDatabase } from '../helpers/use-stack';

const db = useTestDatabase('stagesql');

const NOW = Date.now();
const DEADLINES: Array<[string, number | null]> = [
  ['none', null],
  ['passed', NOW - HOUR_MS],
  ['ahead', NOW + HOUR_MS],
];

/** One row `a` (stage, deadline_at) and the fragments under test, evaluated by PostgreSQL. */
async function evaluate(stage: Stage, deadline: number | null) {
  const isExpr = STAGES.map((t, i) => `coalesce(${sql.effectiveStageIsSql(t)}, false) as is_${i}`).join(', ');
  const [row]: Array<Record<string, unknown>> = await db.ds.query(
    `select ${sql.effectiveStageSql('a.stage', 'a.deadline_at')} as effective,
            ${sql.closingStageSql('a.stage')} as closing,
            coalesce(${sql.closedByCutoffSql('a.stage', 'a.deadline_at')}, false) as closed,
            coalesce(${sql.editableSql('a')}, false) as editable,
            a.stage in ${sql.PRE_SHUTDOWN_SQL} as pre_shutdown,
            ${isExpr}
       from (select $1::text as stage, $2::timestamptz as deadline_at) a`,
    [stage, deadline === null ? null : new Date(deadline)],
  );
  return row;
}

describe.each(STAGES.map((s) => [s]))('%s', (stage) => {
  it.each(DEADLINES)('deadline %s: effective stage, closing, filters and editability agree with the domain', async (_label, deadline) => {
    const passed = deadline !== null && deadline <= NOW;
    const expected = passed && isPreShutdown(stage) ? closingStageAtCutoff(stage)! : stage;
    const row = await evaluate(stage, deadline);
    expect(row.effective).toBe(expected);
    expect(row.closing).toBe(closingStageAtCutoff(stage));
    expect(row.closed).toBe(passed && isPreShutdown(stage));
    expect(row.pre_shutdown).toBe(isPreShutdown(stage));
    expect(row.editable).toBe(EDITABLE_STAGES.includes(stage) && !passed);
    // Exactly one stage filter matches the row: its effective stage.
    const matching = STAGES.filter((_t, i) => row[`is_${i}`] === true);
    expect(matching).toEqual([expected]);
  });

  it('binding cut-off agrees with bindingCutoff for every combination of regional cut-offs', async () => {
    const shutdownAt = NOW + 10 * HOUR_MS;
    const regional = [null, NOW + 5 * HOUR_MS, NOW + 8 * HOUR_MS];
    const ts = (v: number | null) => (v === null ? null : new Date(v));
    // Every combination of the four regional cut-offs over three values (81 per stage, one query).
    const combos: Array<[number | null, number | null, number | null, number | null]> = [];
    for (const a of regional) for (const b of regional) for (const c of regional) for (const d of regional) combos.push([a, b, c, d]);
    const rows: Array<{ i: number; at: Date | null }> = await db.ds.query(
      `select i, ${sql.bindingCutoffSql('$1::text', { PROVINCE: '$2::timestamptz', CITY_FILING: 'cf', CITY_REVIEW: 'cr', COUNTY_FILING: 'kf', COUNTY_REVIEW: 'kr' })} as at
         from unnest($3::int[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[]) as t(i, cf, cr, kf, kr) order by i`,
      [stage, ts(shutdownAt), combos.map((_c, i) => i), ...[0, 1, 2, 3].map((k) => combos.map((c) => ts(c[k])))],
    );
    for (const { i, at } of rows) {
      const [cf, cr, kf, kr] = combos[i];
      const rules: CampaignRules = { campaignId: 'T', shutdownAt, city: { filingAt: cf, reviewAt: cr }, county: { filingAt: kf, reviewAt: kr }, acceptanceGraceDays: 60, reminderHours: [], version: 1 };
      expect(at?.getTime() ?? null).toBe(bindingCutoff(stage, rules)?.at ?? null);
    }
    expect(rows).toHaveLength(81);
  });
});

describe('derived stage lists', () => {
  it('are what the domain makes of the cut-off, and the lists the SQL used before', async () => {
    expect(sql.PASSED_ON_AT_CUTOFF).toEqual(STAGES.filter((s) => isPreShutdown(s) && !isTerminal(closingStageAtCutoff(s)!)));
    expect(sql.PASSED_ON_AT_CUTOFF).toEqual(['RECOMMENDED']);
    expect(sql.PASSED_TO_AT_CUTOFF).toEqual(['PROVINCIAL_REVIEW']);
    const closedThere = STAGES.filter((s) => isPreShutdown(s) && isTerminal(closingStageAtCutoff(s)!));
    expect(new Set(sql.UNRECOMMENDED_STAGES)).toEqual(new Set([...closedThere, ...closedThere.map((s) => closingStageAtCutoff(s)!)]));
    expect(new Set(sql.UNRECOMMENDED_STAGES)).toEqual(new Set(['CITY_REVIEW', 'RETURNED', 'COUNTY_REVIEW', 'DRAFT', 'CLOSED_EXPIRED', 'CLOSED_NOT_RECOMMENDED']));
    const [{ n }]: Array<{ n: number }> = await db.ds.query(`select count(*)::int as n from unnest($1::text[]) s where s in ${sql.stageList(sql.UNRECOMMENDED_STAGES)}`, [STAGES]);
    expect(n).toBe(sql.UNRECOMMENDED_STAGES.length);
  });

  it('refuses to quote anything that is not a stage', () => {
    expect(() => sql.stageList(["x') or true --" as Stage])).toThrow(/not a stage/);
    expect(() => sql.stageList([])).toThrow();
  });
});
