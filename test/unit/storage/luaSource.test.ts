/** The `--- @include` loader: transitive includes, each pasted once, and a cycle reported with file and line. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IncludeCycleError, readLuaSource } from '../../../storage/scripts/luaSource.js';
import { scriptSource } from '../../../storage/scripts/runScript.js';
import { SCRIPTS } from '../../../storage/scripts/scriptTable.js';

function luaDir(files: Record<string, string>): URL {
  const dir = mkdtempSync(join(tmpdir(), 'candela-lua-'));
  mkdirSync(join(dir, 'includes'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return pathToFileURL(`${dir}/`);
}

test('includes are resolved transitively, each pasted once before its first use', () => {
  const dir = luaDir({
    'main.lua': '--- @include "b"\n--- @include "a"\nreturn a() + b()\n',
    'includes/a.lua': '--- @include "b"\nlocal function a() return b() end',
    'includes/b.lua': 'local function b() return 1 end',
  });
  const source = readLuaSource(dir, 'main.lua');
  expect(source.match(/local function b\(\)/g)).toHaveLength(1);
  expect(source.indexOf('local function b()')).toBeLessThan(source.indexOf('local function a()'));
  expect(source).not.toContain('--- @include');
});

test('a cycle is an error naming each file and line on it', () => {
  const dir = luaDir({
    'main.lua': '-- header\n--- @include "a"\nreturn 1\n',
    'includes/a.lua': 'local x = 1\n\n--- @include "b"\n',
    'includes/b.lua': '--- @include "a"\n',
  });
  expect(() => readLuaSource(dir, 'main.lua')).toThrow(IncludeCycleError);
  expect(() => readLuaSource(dir, 'main.lua')).toThrow('includes/a.lua:3 -> includes/b.lua:1 -> includes/a.lua');
});

test('a self-include is a cycle too', () => {
  const dir = luaDir({ 'main.lua': '--- @include "a"\n', 'includes/a.lua': '--- @include "a"\n' });
  expect(() => readLuaSource(dir, 'main.lua')).toThrow(/includes\/a\.lua:1 -> includes\/a\.lua/);
});

test('every script in the table loads, and reads KEYS and ARGV only through its generated names', () => {
  for (const spec of SCRIPTS) {
    const source = scriptSource(spec);
    const body = source.slice(source.indexOf('\nend\n') + 5);
    expect(source).not.toContain('--- @include');
    expect(body).not.toMatch(/\b(KEYS|ARGV)\[/);
  }
});
