/**
 * How many candles each indicator needs before its value no longer depends on where the
 * series starts. Windowed averages (SMA, Bollinger, average volume) are exact once their
 * period is full. Recursive ones (EMA, RSI and ATR with Wilder smoothing, MACD) carry their
 * seed forever, decaying by (1 − α) a candle; we call them converged once the seed's weight is
 * below CONVERGENCE (one part in a million), which for EMA 26 takes 180 candles and for
 * Wilder 14 about 200. Values before that are not reported, as TA-Lib reports none during
 * its lookback, and the sources fetch WARMUP_CANDLES before every window so that a window's
 * first candle already has every value.
 */
import type { IndicatorSeries, IndicatorSettings } from './computeIndicators.js';
import { DEFAULT_INDICATOR_SETTINGS } from './computeIndicators.js';

export const CONVERGENCE = 1e-6;

/** Candles until a recursive average with smoothing factor `alpha` forgets its seed. */
const decay = (alpha: number): number => Math.ceil(Math.log(CONVERGENCE) / Math.log(1 - alpha));
const emaDecay = (period: number): number => decay(2 / (period + 1));
const wilderDecay = (period: number): number => decay(1 / period);

/** Index of the first candle whose value is reported, per indicator. */
export interface IndicatorStart {
  smaFast: number;
  smaSlow: number;
  emaFast: number;
  emaSlow: number;
  rsi: number;
  macd: number;
  bollinger: number;
  atr: number;
  averageVolume: number;
}

export function indicatorStart(settings: IndicatorSettings = DEFAULT_INDICATOR_SETTINGS): IndicatorStart {
  const { macd } = settings;
  return {
    smaFast: settings.smaFast - 1,
    smaSlow: settings.smaSlow - 1,
    emaFast: emaDecay(settings.emaFast),
    emaSlow: emaDecay(settings.emaSlow),
    rsi: settings.rsi + wilderDecay(settings.rsi),
    // The line's error fades with its slower EMA; the signal's own seed (set at candle slow − 1) after that.
    macd: Math.max(emaDecay(macd.slow), emaDecay(macd.fast), macd.slow - 1 + emaDecay(macd.signal)),
    bollinger: settings.bollinger.period - 1,
    atr: settings.atr - 1 + wilderDecay(settings.atr),
    averageVolume: settings.volume - 1,
  };
}

/** Candles before a window needed for every indicator to be reported from its first candle. */
export function warmupCandles(settings: IndicatorSettings = DEFAULT_INDICATOR_SETTINGS): number {
  const starts: Record<string, number> = { ...indicatorStart(settings) };
  return Math.max(...Object.values(starts));
}

export const WARMUP_CANDLES = warmupCandles();

const mask = (values: readonly number[], start: number, offset: number): number[] => {
  const out = values.slice(offset);
  for (let index = 0; index < out.length && index + offset < start; index += 1) out[index] = Number.NaN;
  return out;
};

/**
 * The indicators of candles [offset, end) from series computed over all candles, with NaN
 * wherever an indicator has not converged yet.
 */
export function windowIndicators(series: IndicatorSeries, offset: number): IndicatorSeries {
  const start = indicatorStart(series.settings);
  return {
    settings: series.settings,
    smaFast: mask(series.smaFast, start.smaFast, offset),
    smaSlow: mask(series.smaSlow, start.smaSlow, offset),
    emaFast: mask(series.emaFast, start.emaFast, offset),
    emaSlow: mask(series.emaSlow, start.emaSlow, offset),
    rsi: mask(series.rsi, start.rsi, offset),
    macd: {
      line: mask(series.macd.line, start.macd, offset),
      signal: mask(series.macd.signal, start.macd, offset),
      histogram: mask(series.macd.histogram, start.macd, offset),
    },
    bollinger: {
      upper: mask(series.bollinger.upper, start.bollinger, offset),
      middle: mask(series.bollinger.middle, start.bollinger, offset),
      lower: mask(series.bollinger.lower, start.bollinger, offset),
    },
    atr: mask(series.atr, start.atr, offset),
    averageVolume: mask(series.averageVolume, start.averageVolume, offset),
  };
}

/** Index in the window of the first candle where every indicator is reported (0 when warmed up before the window). */
export function warmedUpFrom(settings: IndicatorSettings, warmup: number): number {
  return Math.max(0, warmupCandles(settings) - warmup);
}
