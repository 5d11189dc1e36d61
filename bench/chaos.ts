/**
 * npm run chaos: every chaos scenario at full size, one after another, each on its own
 * redis-server and processes; each prints one JSON line, and a table of all follows. Exits 1
 * when any invariant broke. CHAOS_SCENARIOS=worker-crashes,load picks some; CHAOS_SIZE=short
 * runs the make-test sizes; CHAOS_BURN=1 keeps every core busy while each scenario runs.
 * Needs `npm run build` first (the scenarios start the compiled `candela`).
 */
import { CHAOS_SCENARIOS, type ScenarioSize } from '../test/chaos/chaosScenarios.js';
import type { ChaosFigures } from '../test/chaos/chaosScenario.js';

const names = process.env.CHAOS_SCENARIOS?.split(',').map((name) => name.trim()) ?? Object.keys(CHAOS_SCENARIOS);
const size: ScenarioSize = process.env.CHAOS_SIZE === 'short' ? 'short' : 'full';
const unknown = names.filter((name) => !(name in CHAOS_SCENARIOS));
if (unknown.length > 0) {
  console.error(`CHAOS_SCENARIOS: unknown ${unknown.join(', ')}; known: ${Object.keys(CHAOS_SCENARIOS).join(', ')}`);
  process.exit(2);
}

const results: ChaosFigures[] = [];
for (const name of names) results.push(await CHAOS_SCENARIOS[name]!(size));

const columns = [
  'scenario',
  'queued',
  'completed',
  'failed_expected',
  'poison_expected',
  'failed_unexpected',
  'lost',
  'completed_twice',
  'duplicate_executions',
  'seconds',
  'broken',
] as const;
const rows = results.map((figures) =>
  columns.map((column) => (column === 'broken' ? figures.broken.join(' ') || 'ok' : String(figures[column]))),
);
const widths = columns.map((column, index) => Math.max(column.length, ...rows.map((row) => row[index]!.length)));
const line = (cells: readonly string[]) => cells.map((cell, index) => cell.padEnd(widths[index]!)).join('  ');
console.log(`\n${line(columns)}\n${line(widths.map((width) => '-'.repeat(width)))}`);
for (const row of rows) console.log(line(row));
if (results.some((figures) => !figures.ok)) process.exitCode = 1;
