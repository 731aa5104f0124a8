/**
 * The province's intake after the shutdown (DESIGN.md, Provincial review): the formal check
 * (pass, or fail with a reason: the application closes and the applicant is told why), the
 * selection that waits for it, and a supplement window (补正) for named materials that closes by
 * the clock. Runs started before the formal check existed keep deciding as they did.
 */
import { decide, dueSystemSteps, nextWakeAt, type Command } from '@jiebang/domain';
import { actor, DAY, EXPERTS, HOUR, rules, scenario, step } from './helpers';

const PROVINCE = actor('PROVINCE_IT');
const APPLICANT = actor('APPLICANT');

test('pass keeps it in review; fail needs a reason, closes it, releases the slot and tells the applicant', () => {
  const { state, now } = scenario('PROVINCIAL_REVIEW');
  const passed = step(state, { type: 'formalCheck', decision: 'PASS' } as Command, 'PROVINCE_IT', now);
  expect([passed.stage, passed.formalCheck?.result]).toEqual(['PROVINCIAL_REVIEW', 'PASS']);
  const again = decide(passed, { type: 'formalCheck', decision: 'PASS' } as Command, PROVINCE, now, rules());
  expect(again.ok ? null : again.refusal.code).toBe('ALREADY_DONE');
  const bare = decide(state, { type: 'formalCheck', decision: 'FAIL' } as Command, PROVINCE, now, rules());
  expect(bare.ok ? null : bare.refusal).toMatchObject({ code: 'REASON_REQUIRED', field: 'comment' });
  const failed = decide(state, { type: 'formalCheck', decision: 'FAIL', comment: '缺少推荐函' } as Command, PROVINCE, now, rules());
  if (!failed.ok) throw new Error(failed.refusal.message);
  expect(failed.state).toMatchObject({ stage: 'CLOSED_FORMAL_CHECK_FAILED', slotHeld: false, closedAt: now });
  expect(failed.effects.map((e) => e.kind)).toEqual(['RELEASE_SLOT', 'NOTIFY']);
  expect(failed.effects[1]).toMatchObject({ audience: { role: 'APPLICANT' }, message: '形式审查未通过，申报已关闭：缺少推荐函' });
});

test('the selection waits for a passed formal check; a run from before the check (undefined) does not', () => {
  const { state, now } = scenario('PROVINCIAL_REVIEW_SCORED');
  const unchecked = { ...state, formalCheck: null };
  const d = decide(unchecked, { type: 'provinceSelection', decision: 'SELECT' } as Command, PROVINCE, now, rules());
  expect(d.ok ? null : d.refusal).toMatchObject({ code: 'PRECONDITION', message: '尚未通过形式审查' });
  expect(decide({ ...state, formalCheck: undefined }, { type: 'provinceSelection', decision: 'SELECT' } as Command, PROVINCE, now, rules()).ok).toBe(true);
  expect(state.experts).toEqual(EXPERTS);
});

test('a supplement window: named kinds only, time-boxed, closed by the clock or by the province', () => {
  const { state, now } = scenario('PROVINCIAL_REVIEW');
  const open = (over: Record<string, unknown>) => decide(state, { type: 'openSupplement', kinds: ['SUPPORTING'], endsAt: now + DAY, comment: '补充证明', ...over } as Command, PROVINCE, now, rules());
  expect(open({ endsAt: now - 1 }).ok ? null : (open({ endsAt: now - 1 }) as { refusal: { field: string } }).refusal.field).toBe('endsAt');
  expect((open({ endsAt: now + 31 * DAY }) as { ok: boolean }).ok).toBe(false);
  expect((open({ kinds: ['PROJECT_INFO'] }) as { ok: boolean }).ok).toBe(false);
  expect((open({ comment: undefined }) as { ok: boolean }).ok).toBe(false);
  const opened = open({});
  if (!opened.ok) throw new Error(opened.refusal.message);
  const s = opened.state;
  expect(s.supplement).toMatchObject({ kinds: ['SUPPORTING'], endsAt: now + DAY, replaced: 0 });
  expect(nextWakeAt(s, rules())).toBe(now + DAY);
  const other = decide(s, { type: 'replaceMaterial', fileId: 'f-1', kinds: ['FEASIBILITY_REPORT'] } as Command, APPLICANT, now + HOUR, rules());
  expect(other.ok ? null : other.refusal.code).toBe('MATERIALS_FROZEN');
  const replaced = decide(s, { type: 'replaceMaterial', fileId: 'f-1', kinds: ['SUPPORTING'] } as Command, APPLICANT, now + HOUR, rules());
  if (!replaced.ok) throw new Error(replaced.refusal.message);
  expect(replaced.effects[0]).toEqual({ kind: 'REPLACE_MATERIAL', fileId: 'f-1', materialKind: 'SUPPORTING' });
  expect(replaced.state.supplement?.replaced).toBe(1);
  // At its end the clock closes it; afterwards nothing is replaced.
  const [ended] = dueSystemSteps(replaced.state, rules(), now + DAY);
  expect(ended.event?.action).toBe('supplementEnd');
  expect(ended.state.supplement).toBeNull();
  const late = decide(replaced.state, { type: 'replaceMaterial', fileId: 'f-2', kinds: ['SUPPORTING'] } as Command, APPLICANT, now + DAY + 1, rules());
  expect(late.ok ? null : late.refusal.code).toBe('MATERIALS_FROZEN');
  const closed = step(s, { type: 'closeSupplement' } as Command, 'PROVINCE_IT', now + HOUR);
  expect(closed.supplement).toBeNull();
});
