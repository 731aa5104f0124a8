/** Expert review's pure parts: the rubric and its totals, panel assignment with recusal and balance, the ranking. */
import { combinedScore, DEFAULT_RUBRIC, planAssignment, rankByAverage, rubricProblem, rubricTotal } from '@jiebang/domain';

test('the default rubric is sound; a rubric whose weights miss 100, or with a repeated key, is refused by name', () => {
  expect(rubricProblem(DEFAULT_RUBRIC)).toBeNull();
  expect(rubricProblem([{ key: 'a', label: '甲', max: 10, weight: 90 }])?.message).toBe('各项评分指标的权重之和须为100（当前为90）');
  expect(rubricProblem([{ key: 'a', label: '甲', max: 10, weight: 50 }, { key: 'a', label: '乙', max: 10, weight: 50 }])).toMatchObject({ field: 'criteria.1.key' });
  expect(rubricProblem([{ key: 'a', label: '甲', max: 0, weight: 100 }])).toMatchObject({ field: 'criteria.0.max' });
});

test('a total weighs each criterion by its share of its maximum; out of range, missing or unknown is refused', () => {
  const r = [
    { key: 'tech', label: '技术', max: 50, weight: 60 },
    { key: 'effect', label: '成效', max: 100, weight: 40 },
  ];
  expect(rubricTotal(r, { tech: 40, effect: 80 })).toEqual({ total: 80, values: { tech: 40, effect: 80 } });
  expect(rubricTotal(r, { tech: 33.33, effect: 0 })).toMatchObject({ total: 40 });
  expect(rubricTotal(r, { tech: 51, effect: 0 })).toMatchObject({ refusal: { field: 'criteria.tech' } });
  expect(rubricTotal(r, { tech: 1.234, effect: 0 })).toMatchObject({ refusal: { field: 'criteria.tech' } });
  expect(rubricTotal(r, { tech: 1 })).toMatchObject({ refusal: { field: 'criteria.effect' } });
  expect(rubricTotal(r, { tech: 1, effect: 1, extra: 1 })).toMatchObject({ refusal: { field: 'criteria.extra' } });
});

test('panels: never a tied expert, the least loaded first, and short ones named', () => {
  const experts = [
    { expertId: 'e1', ties: new Set(['ORG-A']), load: 0 },
    { expertId: 'e2', ties: new Set<string>(), load: 1 },
    { expertId: 'e3', ties: new Set<string>(), load: 0 },
  ];
  const plan = planAssignment(
    [
      { applicationId: 'A2', creditCode: 'ORG-B' },
      { applicationId: 'A1', creditCode: 'ORG-A' },
      { applicationId: 'A3', creditCode: 'ORG-C' },
    ],
    experts,
    2,
  );
  expect(plan.panels).toEqual([
    { applicationId: 'A1', expertIds: ['e2', 'e3'] },
    { applicationId: 'A2', expertIds: ['e1', 'e3'] },
    { applicationId: 'A3', expertIds: ['e1', 'e2'] },
  ]);
  expect(plan.load).toEqual({ e1: 2, e2: 3, e3: 2 });
  const short = planAssignment([{ applicationId: 'A1', creditCode: 'ORG-A' }], experts, 3);
  expect(short).toMatchObject({ panels: [], short: [{ applicationId: 'A1', available: 2 }] });
});

test('the ranking: by average, equal averages share a rank, spread is highest minus lowest, unscored last', () => {
  const s = (score: number | null) => ({ expertId: String(score), expertName: '专家', score });
  const r = rankByAverage([
    { item: 'x', scores: [s(70), s(90)] },
    { item: 'y', scores: [s(null), s(null)] },
    { item: 'z', scores: [s(80)] },
    { item: 'w', scores: [s(85), s(75), s(null)] },
  ]);
  expect(r.map((e) => [e.item, e.rank, e.average, e.spread, e.scored, e.assigned])).toEqual([
    ['x', 1, 80, 20, 2, 2],
    ['z', 1, 80, 0, 1, 1],
    ['w', 1, 80, 10, 2, 3],
    ['y', null, null, null, 0, 2],
  ]);
});

test('the ranking with defence: material and defence by the weights, an absence counts 0, an unfinished defence is not ranked yet', () => {
  const s = (score: number) => ({ expertId: String(score), expertName: '专家', score });
  const r = rankByAverage(
    [
      { item: 'no-defence', scores: [s(80)] },
      { item: 'defended', scores: [s(70)], defence: { status: 'SCORED', average: 95 } },
      { item: 'absent', scores: [s(90)], defence: { status: 'ABSENT', average: null } },
      { item: 'pending', scores: [s(99)], defence: { status: 'SCHEDULED', average: 90 } },
    ],
    40,
  );
  // 70 × 0.6 + 95 × 0.4 = 80 (equal to the material-only 80); 90 × 0.6 + 0 = 54.
  expect(r.map((e) => [e.item, e.rank, e.average, e.combined])).toEqual([
    ['no-defence', 1, 80, 80],
    ['defended', 1, 70, 80],
    ['absent', 3, 90, 54],
    ['pending', null, 99, null],
  ]);
  expect(combinedScore(null, null, 40)).toBeNull();
});
