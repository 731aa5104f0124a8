import { databaseUnavailable, unstorableText } from '../../../apps/api/src/common/error.filter';

test('PostgreSQL away is recognised (then 503, retry), other errors are not', () => {
  expect(databaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
  expect(databaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  expect(databaseUnavailable({ message: 'query failed', driverError: { code: '57P01', message: 'terminating connection due to administrator command' } })).toBe(true);
  expect(databaseUnavailable({ message: 'the database system is starting up' })).toBe(true);
  expect(databaseUnavailable({ message: 'duplicate key value violates unique constraint', driverError: { code: '23505' } })).toBe(false);
  expect(databaseUnavailable(new TypeError('x is undefined'))).toBe(false);
  expect(databaseUnavailable(null)).toBe(false);
});

test('IsDecimal: at most two decimals, finite; an exponent without a decimal point is no crash', async () => {
  const { validationPipe } = await import('../../../apps/api/src/common/validation');
  const ExpertScoreDto = (await import('../../../apps/api/src/actions/action-bodies')).actionBody('expertScore');
  const check = (score: unknown) => validationPipe().transform({ score }, { type: 'body', metatype: ExpertScoreDto }).then(() => 'ok', (e: { getStatus?: () => number }) => e.getStatus?.());
  expect(await check(88.5)).toBe('ok');
  expect(await check(90)).toBe('ok');
  expect(await check(5e-324)).toBe(400);
  expect(await check(88.123)).toBe(400);
  expect(await check('88')).toBe(400);
});

test('text PostgreSQL cannot store (NUL) is the client input: recognised for a 400', () => {
  expect(unstorableText({ message: 'invalid byte sequence for encoding "UTF8": 0x00', driverError: { code: '22021' } })).toBe(true);
  expect(unstorableText({ code: '22P05' })).toBe(true);
  expect(unstorableText({ code: '23505' })).toBe(false);
});
