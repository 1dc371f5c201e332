// Runs every test/**/*.test.ts with Node's own test runner (through tsx), so that the
// same command works on Node 20 (no --test globs) and 22. Pass paths or substrings to filter.
// The reconnect storm (issue 7 defect 1: 1,000 stations at once) runs last and alone, so that it
// measures the CSMS and not the other test files sharing this 2-core machine.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.test.ts') ? [path] : [];
  });
}

const ALONE = [join('test', 'e2e', 'reconnect-storm.test.ts')];

const filters = process.argv.slice(2);
const files = walk('test')
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

function run(list, concurrency) {
  if (list.length === 0) return 0;
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${concurrency}`,
      // A file whose tests are done must not hang the run on a handle left open.
      '--test-force-exit',
      '--test-reporter=spec',
      ...list,
    ],
    { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
  );
  return result.status ?? 1;
}

const together = files.filter((f) => !ALONE.includes(f));
const alone = files.filter((f) => ALONE.includes(f));
const first = run(together, 2);
const second = run(alone, 1);
process.exit(first !== 0 ? first : second);
