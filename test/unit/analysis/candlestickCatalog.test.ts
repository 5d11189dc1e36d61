/** The direct-call scan loops run exactly the detectors the catalog names, from their lookbacks. */
import { buildCandleContext } from '../../../analysis/patterns/candleContext.js';
import { PATTERN_SPECS } from '../../../analysis/patterns/candlestickCatalog.js';
import { scanBarPatterns } from '../../../analysis/patterns/scanBarPatterns.js';
import { candlesOf, type Ohlc } from './candleBuilders.js';

test('scanBarPatterns writes, for each per-bar spec, what its own detector returns', () => {
  let seed = 99;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const tick = (value: number) => Math.round(value * 10) / 10;
  const rows: Ohlc[] = [];
  let close = 100;
  for (let index = 0; index < 20_000; index += 1) {
    const open = tick(random() < 0.3 ? close + (random() - 0.5) * 2 : close);
    close = tick(open + (random() - 0.5) * (random() < 0.2 ? 3 : 1));
    rows.push([
      open,
      tick(Math.max(open, close) + (random() < 0.4 ? 0 : random() * 0.6)),
      tick(Math.min(open, close) - (random() < 0.4 ? 0 : random() * 0.6)),
      close,
    ]);
  }
  const x = buildCandleContext(candlesOf(rows));
  const signals = PATTERN_SPECS.map(() => new Int16Array(rows.length));
  scanBarPatterns(
    x,
    Int32Array.from(PATTERN_SPECS, (spec) => spec.lookback),
    signals,
  );
  // Most patterns occur on this walk, so the comparison is not between empty rows.
  expect(signals.filter((row) => row.some((s) => s !== 0)).length).toBeGreaterThanOrEqual(50);
  PATTERN_SPECS.forEach((spec, k) => {
    const detect = spec.detect;
    const expected = new Int16Array(rows.length);
    if (typeof detect === 'function') for (let i = spec.lookback; i < rows.length; i += 1) expected[i] = detect(x, i);
    expect({
      pattern: spec.pattern,
      hits: signals[k]!.filter((s) => s !== 0).length,
      same: signals[k]!.every((s, i) => s === expected[i]),
    }).toEqual({
      pattern: spec.pattern,
      hits: expected.filter((s) => s !== 0).length,
      same: true,
    });
  });
});
