/**
 * Golden file: every candlestick hit, with all its fields, per pattern and in order, that the
 * detector gives on the real series @typedtrader/candles ships and on seeded synthetic series
 * (the synthetic source's random walk, and a 20,000-candle walk on a 0.1 tick grid where most
 * patterns occur). A hit's time is its candle's open time, checked against the series. Speed work on the detector must leave every hit as recorded. A deliberate
 * change of a definition regenerates the file (and the diff shows what it changed):
 *   UPDATE_GOLDEN=1 node --experimental-vm-modules node_modules/jest/bin/jest.js test/unit/analysis/candlestickGolden.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Candle } from '../../../analysis/candles.js';
import { PATTERN_SPECS } from '../../../analysis/patterns/candlestickCatalog.js';
import type { CandlestickHit, CandlestickPatternName } from '../../../analysis/patterns/candlestickTypes.js';
import { detectCandlestickPatterns } from '../../../analysis/patterns/detectCandlestickPatterns.js';
import { generateSyntheticCandles } from '../../../integrations/marketData/syntheticCandleSource.js';
import { TYPED_TRADER_SERIES, tickGridWalk, typedTraderCandles } from './candleBuilders.js';

const GOLDEN = new URL('../../fixtures/candlestick-hits.golden.json', import.meta.url);
const HOUR = 3_600_000;

const SERIES: Record<string, () => Candle[]> = {
  ...Object.fromEntries(TYPED_TRADER_SERIES.map((name) => [name, () => typedTraderCandles(name)])),
  'synthetic-10000-1h': () => generateSyntheticCandles('GOLDEN:1h:10000h', 10_000, HOUR),
  'synthetic-168-1h': () => generateSyntheticCandles('GOLDEN:1h:7d', 168, HOUR),
  'synthetic-2000-1d': () => generateSyntheticCandles('GOLDEN:1d:2000d', 2_000, 24 * HOUR),
  'tick-grid-20000': () => tickGridWalk(20_000, 12_345),
};

/** One hit without the fields its pattern fixes (talib, candles) or its candle gives (time). */
type Row = [
  index: number,
  signal: number,
  direction: CandlestickHit['direction'],
  move: number | null,
  prior: CandlestickHit['trend_context']['prior'],
  reversal: boolean,
  volumeRatio: number | null,
  strength: number,
];
/**
 * A pattern's hits, column by column so the file stays small: candle index as the step from
 * the previous hit, one letter per direction and prior move (their initials), 0/1 reversals.
 */
interface PatternColumns {
  talib: string;
  candles: number;
  indexStep: number[];
  signal: number[];
  direction: string;
  move: (number | null)[];
  prior: string;
  reversal: string;
  volumeRatio: (number | null)[];
  strength: number[];
}
type Golden = Record<string, { candles: number; patterns: Partial<Record<CandlestickPatternName, PatternColumns>> }>;

const DIRECTIONS = ['bullish', 'bearish', 'neutral'] as const;
const PRIORS = ['decline', 'advance', 'flat', 'unknown'] as const;
const initial = (word: string): string => word[0]!;
const fromInitial = <T extends string>(words: readonly T[], letter: string): T => words.find((w) => w[0] === letter)!;

function columnsOf(hits: readonly CandlestickHit[]): PatternColumns {
  return {
    talib: hits[0]!.talib,
    candles: hits[0]!.candles,
    indexStep: hits.map((hit, k) => hit.index - (k > 0 ? hits[k - 1]!.index : 0)),
    signal: hits.map((hit) => hit.signal),
    direction: hits.map((hit) => initial(hit.direction)).join(''),
    move: hits.map((hit) => hit.trend_context.move),
    prior: hits.map((hit) => initial(hit.trend_context.prior)).join(''),
    reversal: hits.map((hit) => (hit.trend_context.reversal ? '1' : '0')).join(''),
    volumeRatio: hits.map((hit) => hit.volume_ratio),
    strength: hits.map((hit) => hit.strength),
  };
}

function rowsOf(columns: PatternColumns): Row[] {
  let index = 0;
  return columns.indexStep.map((step, k) => [
    (index += step),
    columns.signal[k]!,
    fromInitial(DIRECTIONS, columns.direction[k]!),
    columns.move[k]!,
    fromInitial(PRIORS, columns.prior[k]!),
    columns.reversal[k] === '1',
    columns.volumeRatio[k]!,
    columns.strength[k]!,
  ]);
}

/** Per pattern, its talib name, span and hits as rows; JSON has no −0 (a rounded tiny move), so neither has this. */
function recordOf(hits: readonly CandlestickHit[]): Record<string, { talib: string; candles: number; hits: Row[] }> {
  const byPattern = new Map<CandlestickPatternName, CandlestickHit[]>();
  for (const hit of hits) {
    const own = byPattern.get(hit.pattern);
    if (own) own.push(hit);
    else byPattern.set(hit.pattern, [hit]);
  }
  const record = Object.fromEntries(
    [...byPattern].map(([pattern, own]) => {
      const columns = columnsOf(own);
      return [pattern, { talib: columns.talib, candles: columns.candles, hits: rowsOf(columns) }];
    }),
  );
  return JSON.parse(JSON.stringify(record)) as ReturnType<typeof recordOf>;
}

/** The catalog's order within a candle, as the detector promises. */
const ORDINAL = new Map(PATTERN_SPECS.map((spec, k) => [spec.pattern, k]));
const orderOf = (hits: readonly { index: number; pattern: CandlestickPatternName }[]): string[] =>
  hits.map((hit) => `${hit.index}:${hit.pattern}`);

function goldenOf(candles: readonly Candle[]): Golden[string] {
  const hits = detectCandlestickPatterns(candles);
  const patterns: Golden[string]['patterns'] = {};
  for (const spec of PATTERN_SPECS) {
    const own = hits.filter((hit) => hit.pattern === spec.pattern);
    if (own.length > 0) patterns[spec.pattern] = columnsOf(own);
  }
  return { candles: candles.length, patterns };
}

if (process.env.UPDATE_GOLDEN === '1') {
  const golden: Golden = Object.fromEntries(Object.entries(SERIES).map(([name, load]) => [name, goldenOf(load())]));
  writeFileSync(GOLDEN, `${JSON.stringify(golden)}\n`);
}
const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Golden;

test('the golden file covers every series, and the tick-grid walk reaches most of the catalog', () => {
  expect(Object.keys(golden)).toEqual(Object.keys(SERIES));
  const reached = (name: string) => Object.keys(golden[name]!.patterns);
  const anywhere = new Set(Object.keys(golden).flatMap(reached));
  console.log(
    `patterns hit: ${reached('tick-grid-20000').length} of ${PATTERN_SPECS.length} on tick-grid-20000, ${anywhere.size} on some series`,
  );
  expect(reached('tick-grid-20000').length).toBeGreaterThanOrEqual(50);
});

describe.each(Object.keys(SERIES))('candlestick hits on %s', (name) => {
  const candles = SERIES[name]!();
  const hits = detectCandlestickPatterns(candles);
  const actual = recordOf(hits);
  const expected = golden[name]!;

  test('each pattern gives exactly the recorded hits, every field', () => {
    expect(candles.length).toBe(expected.candles);
    for (const spec of PATTERN_SPECS) {
      const columns = expected.patterns[spec.pattern];
      expect({ pattern: spec.pattern, record: actual[spec.pattern] }).toEqual({
        pattern: spec.pattern,
        record: columns && { talib: columns.talib, candles: columns.candles, hits: rowsOf(columns) },
      });
    }
    const untimed = hits.filter((hit) => hit.time !== candles[hit.index]!.time);
    expect(untimed).toEqual([]);
  });

  test('hits come in candle order, and within a candle in catalog order', () => {
    const recorded = Object.entries(expected.patterns).flatMap(([pattern, columns]) =>
      rowsOf(columns).map(([index]) => ({ index, pattern: pattern as CandlestickPatternName })),
    );
    recorded.sort((a, b) => a.index - b.index || ORDINAL.get(a.pattern)! - ORDINAL.get(b.pattern)!);
    expect(orderOf(hits)).toEqual(orderOf(recorded));
  });
});
