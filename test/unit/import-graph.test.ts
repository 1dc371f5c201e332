/**
 * The import graph of functions/ and shared/ (type-only imports included): no circle, and nothing
 * in shared/ imports functions/ or infra/ (shared/ is below both: docs/architecture.md).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .filter((f) => !f.includes('/generated/'));
}

const IMPORT = /^\s*(?:import|export)\b[^'";]*?from\s+'(\.[^']+)'|^\s*import\s+'(\.[^']+)'/gm;

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (spec) out.push(relative(root, resolve(root, dirname(file), spec)).replace(/\.js$/, '.ts'));
  }
  return out;
}

const files = [...sources('functions'), ...sources('shared')];
const graph = new Map(files.map((f) => [f, importsOf(f)]));

test('nothing in shared/ imports functions/ or infra/', () => {
  const upward = [...graph]
    .filter(([f]) => f.startsWith('shared/'))
    .flatMap(([f, deps]) => deps.filter((d) => /^(functions|infra)\//.test(d)).map((d) => `${f} -> ${d}`));
  assert.deepEqual(upward, []);
});

test('functions/ and shared/ have no import circle', () => {
  const state = new Map<string, 'open' | 'done'>();
  const circles: string[] = [];
  const visit = (file: string, path: string[]): void => {
    state.set(file, 'open');
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') circles.push([...path.slice(path.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next, [...path, next]);
    }
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file, [file]);
  assert.deepEqual(circles, []);
});
