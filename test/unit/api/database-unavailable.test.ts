import { databaseUnavailable } from '../../../apps/api/src/common/error.filter';

test('PostgreSQL away is recognised (then 503, retry), other errors are not', () => {
  expect(databaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
  expect(databaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  expect(databaseUnavailable({ message: 'query failed', driverError: { code: '57P01', message: 'terminating connection due to administrator command' } })).toBe(true);
  expect(databaseUnavailable({ message: 'the database system is starting up' })).toBe(true);
  expect(databaseUnavailable({ message: 'duplicate key value violates unique constraint', driverError: { code: '23505' } })).toBe(false);
  expect(databaseUnavailable(new TypeError('x is undefined'))).toBe(false);
  expect(databaseUnavailable(null)).toBe(false);
});
