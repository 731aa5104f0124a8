/**
 * Each action's API body is built from the registry: it accepts exactly the registry's
 * vocabulary, requires the registry's fields and refuses any other, with the field named (400).
 */
import { ACTION_TYPES, actionSpec, type ActionType, type FieldSpec } from '@jiebang/domain';
import { actionBody } from '../../../apps/api/src/actions/action-bodies';
import { validationPipe } from '../../../apps/api/src/common/validation';

const UUID = '00000000-0000-4000-8000-000000000000';
const ATTESTED = { normalOperation: true, noMajorSafetyAccident: true, noSeriousDishonesty: true, notAbnormalListed: true, greenThreshold: true };

function valid(f: FieldSpec): unknown {
  switch (f.kind) {
    case 'choice':
      return f.choices[0].value;
    case 'attestations':
      return ATTESTED;
    case 'experts':
      return [UUID];
    case 'score':
      return f.max;
    case 'instant':
      return '2099-01-01 17:00';
    case 'objection':
      return 'OBJ-1';
    case 'file':
      return UUID;
    case 'materialKinds':
      return [f.of[0]];
    default:
      return '标题';
  }
}

/** The body people send: every field but those the API supplies (a submission's materials). */
function bodyFor(action: ActionType): Record<string, unknown> {
  return Object.fromEntries(Object.entries(actionSpec(action).payload.fields).flatMap(([name, f]) => (f.kind === 'materials' ? [] : [[name, valid(f)]])));
}

async function check(action: ActionType, body: Record<string, unknown>): Promise<{ ok: true; value: object } | { ok: false; status: number; field?: string }> {
  try {
    const value = (await validationPipe().transform(body, { type: 'body', metatype: actionBody(action) })) as object;
    return { ok: true, value };
  } catch (e) {
    const err = e as { getStatus(): number; getResponse(): { field?: string } };
    return { ok: false, status: err.getStatus(), field: err.getResponse().field };
  }
}

test.each(ACTION_TYPES.map((a) => [a]))('%s: the body the registry describes, and nothing else', async (action) => {
  const body: Record<string, unknown> = { ...bodyFor(action), comment: '意见' };
  expect(await check(action, body)).toMatchObject({ ok: true });
  expect(await check(action, { ...body, unknownField: 1 })).toEqual({ ok: false, status: 400, field: 'unknownField' });
  for (const [name, f] of Object.entries(actionSpec(action).payload.fields)) {
    if (f.kind === 'materials') {
      // Gathered by the API from the uploaded files, never sent.
      expect(await check(action, { ...body, [name]: [] })).toEqual({ ok: false, status: 400, field: name });
      continue;
    }
    const { [name]: _omitted, ...without } = body;
    expect(await check(action, without)).toMatchObject({ ok: false, status: 400, field: name });
    if (f.kind !== 'choice') continue;
    for (const c of f.choices) expect(await check(action, { ...body, [name]: c.value })).toMatchObject({ ok: true });
    expect(await check(action, { ...body, [name]: 'NOPE' })).toEqual({ ok: false, status: 400, field: name });
  }
});

test('the validated body lists its fields in the registry order, whatever order was sent (the idempotency hash depends on it)', async () => {
  const sent = { resolution: 'DISMISS', comment: '处理', objectionId: 'OBJ-1' };
  const r = await check('resolveObjection', sent);
  expect(r.ok && JSON.stringify(r.value)).toBe(JSON.stringify({ comment: '处理', objectionId: 'OBJ-1', resolution: 'DISMISS' }));
});

test('actions with the same payload share one body (one schema in the API document)', () => {
  expect(actionBody('submit')).toBe(actionBody('resubmit'));
  expect(actionBody('cityFinanceConcurrence')).toBe(actionBody('provinceFinanceConcurrence'));
  expect(actionBody('cityOpinion').name).toBe('CityOpinionDto');
});
