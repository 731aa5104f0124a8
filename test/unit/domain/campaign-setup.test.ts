import { campaignSettingsProblem, campaignTask, decide, dueSystemSteps, taskLabel, taskListProblem, type CampaignTaskRef } from '@jiebang/domain';
import { actor, DAY, fresh, rules, scenario, T0 } from './helpers';

const poolOf = (tasks: CampaignTaskRef[] | undefined, taskCode: string): boolean => {
  const { state } = scenario('PUBLICITY');
  const s = { ...state, taskCode };
  const steps = dueSystemSteps(s, rules(tasks ? { tasks } : {}), s.publicity!.endsAt);
  return steps[0].effects.some((e) => e.kind === 'ADD_TO_RESERVE_POOL');
};

describe("a campaign's own 榜单 in the workflow's rules", () => {
  test("the reserve-pool decision reads the campaign's tasks; rules without tasks (runs started before v10) keep the 2026 seed", () => {
    // Histories recorded before: no tasks in their rules, T9 enters the pool, T1 does not.
    expect(poolOf(undefined, 'T9')).toBe(true);
    expect(poolOf(undefined, 'T1')).toBe(false);
    // A campaign whose 榜单 sends T1 winners to the pool and not T9.
    const own = [{ code: 'T1', entersReservePool: true }, { code: 'T9', entersReservePool: false }];
    expect(poolOf(own, 'T1')).toBe(true);
    expect(poolOf(own, 'T9')).toBe(false);
  });

  test('a draft changes only to a task of its campaign', () => {
    const own = rules({ tasks: [{ code: 'T1', entersReservePool: false }, { code: 'T10', entersReservePool: true }] });
    const ok = decide(fresh(), { type: 'changeTask', taskCode: 'T10' }, actor('APPLICANT'), T0 + DAY, own);
    expect(ok.ok && ok.state.taskCode).toBe('T10');
    const seedOnly = decide(fresh(), { type: 'changeTask', taskCode: 'T3' }, actor('APPLICANT'), T0 + DAY, own);
    expect(!seedOnly.ok && seedOnly.refusal).toMatchObject({ code: 'INVALID_INPUT', field: 'taskCode' });
    // Without tasks in the rules the seed decides, as before.
    expect(decide(fresh(), { type: 'changeTask', taskCode: 'T3' }, actor('APPLICANT'), T0 + DAY, rules()).ok).toBe(true);
    expect(campaignTask(undefined, 'T10')).toBeUndefined();
  });
});

describe('campaign settings', () => {
  const now = T0;
  const ok = { year: 2027, shutdownAt: now + 30 * DAY, paperDeadlineAt: null, pilotYears: [2026] };
  test('the shutdown and the paper deadline lie ahead; the counted pilot years are earlier years, each once', () => {
    expect(campaignSettingsProblem(ok, now)).toBeNull();
    expect(campaignSettingsProblem({ ...ok, shutdownAt: now }, now)).toEqual({ field: 'shutdownAt', message: '全省系统关闭时间须晚于当前时间' });
    expect(campaignSettingsProblem({ ...ok, paperDeadlineAt: now - 1 }, now)?.field).toBe('paperDeadlineAt');
    expect(campaignSettingsProblem({ ...ok, pilotYears: [2027] }, now)?.message).toContain('2027年不符合');
    expect(campaignSettingsProblem({ ...ok, pilotYears: [2016] }, now)?.field).toBe('pilotYears');
    expect(campaignSettingsProblem({ ...ok, pilotYears: [2026, 2026] }, now)?.message).toBe('计入限额的往年试点年度不能重复');
  });

  test('a 榜单 has at least one task and each code once', () => {
    expect(taskListProblem([{ code: 'T1' }, { code: 'T2' }])).toBeNull();
    expect(taskListProblem([])).toEqual({ field: 'tasks', message: '榜单至少需要一项任务' });
    expect(taskListProblem([{ code: 'T1' }, { code: 'T2' }, { code: 'T1' }])).toEqual({ field: 'tasks.2.code', message: '任务编号重复：T1（第3项）' });
  });

  test('a task reads as its number and name', () => {
    expect(taskLabel('T3', '工业互联网平台+大模型（生产制造方向）')).toBe('3. 工业互联网平台+大模型（生产制造方向）');
    expect(taskLabel('A1', '新任务')).toBe('A1. 新任务');
    expect(taskLabel('T1', null)).toBe('T1');
  });
});
