/**
 * The shape the code keeps (issue 11): a pure domain in files a reader takes in at once, a
 * declarative actions controller, and a console that reaches the API only through its typed
 * client (its token and 401 handling in one place).
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

function files(dir: string, ext: RegExp): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && ext.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

const lines = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n').length;

test('no file of libs/domain/src is over 350 lines', () => {
  const long = files('libs/domain/src', /\.ts$/).filter((f) => lines(f) > 350);
  expect(long).toEqual([]);
});

test('the actions controller declares its endpoints (at most 150 lines)', () => {
  expect(lines('apps/api/src/actions/actions.controller.ts')).toBeLessThanOrEqual(150);
});

test('the console calls the API only through the typed client: no raw fetch', () => {
  const raw = files('apps/console/src', /\.tsx?$/)
    .filter((f) => !f.endsWith('schema.d.ts'))
    .filter((f) => /\bfetch\s*\(/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
  expect(raw).toEqual([]);
});
