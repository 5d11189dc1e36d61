/**
 * TA-Lib's own C code, compiled to WebAssembly (the talib-web package), called directly:
 * its JavaScript wrapper passes null for outBegIdx and reads integer outputs as doubles, so
 * we allocate the arguments ourselves and read TA-Lib's Int32 output where TA-Lib puts it.
 *
 * The build never runs TA_Initialize (nor exports it), so TA-Lib's candle settings are left
 * zeroed (every period 0, every factor 0) and its candlestick functions would compare with
 * nothing. We do what TA_RestoreCandleDefaultSettings does: find TA-Lib's candle-settings
 * table in the module's memory and write TA-Lib's default table into it (see below).
 */
import { createRequire } from 'node:module';
import type { Candle } from '../../analysis/candles.js';

interface WasmModule {
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  HEAPF64: Float64Array;
  HEAP32: Int32Array;
  ccall(name: string, returnType: 'number', argTypes: 'number'[], args: number[]): number;
}

export interface TalibOutput {
  /** First bar TA-Lib reports (its lookback). */
  begIdx: number;
  /** TA-Lib's output per bar, 0 before begIdx. */
  signals: Int32Array;
}

/** TA-Lib's default optInPenetration for the functions that take one. */
const PENETRATION: Record<string, number> = {
  CDLABANDONEDBABY: 0.3,
  CDLDARKCLOUDCOVER: 0.5,
  CDLEVENINGDOJISTAR: 0.3,
  CDLEVENINGSTAR: 0.3,
  CDLMATHOLD: 0.5,
  CDLMORNINGDOJISTAR: 0.3,
  CDLMORNINGSTAR: 0.3,
};

/**
 * TA-Lib's default candle settings (its TA_CandleDefaultSettings table), in TA_CandleSettingType order
 * (BodyLong … Equal): [rangeType (0 RealBody, 1 HighLow, 2 Shadows), avgPeriod, factor].
 */
const TALIB_DEFAULT_CANDLE_SETTINGS: readonly [number, number, number][] = [
  [0, 10, 1.0], // BodyLong
  [0, 10, 3.0], // BodyVeryLong
  [0, 10, 1.0], // BodyShort
  [1, 10, 0.1], // BodyDoji
  [0, 0, 1.0], // ShadowLong
  [0, 0, 2.0], // ShadowVeryLong
  [2, 10, 1.0], // ShadowShort
  [1, 10, 0.1], // ShadowVeryShort
  [1, 5, 0.2], // Near
  [1, 5, 0.6], // Far
  [1, 5, 0.05], // Equal
];
/** sizeof(TA_CandleSetting) in wasm32: settingType, rangeType, avgPeriod (int32 each), padding, factor (double). */
const SETTING_BYTES = 24;
const BODY_DOJI = 3;

const require = createRequire(import.meta.url);

type Caller = (name: string, candles: readonly Candle[]) => TalibOutput;

/**
 * TA_CDLDOJI's lookback is BodyDoji's avgPeriod. Writing 7 into one static-memory word at a
 * time (and restoring it) finds the only word that makes its first output bar 7: that is
 * BodyDoji's avgPeriod, from which the table's start follows. The probe's buffers are
 * allocated before it starts, so no allocation runs while a word is overwritten.
 */
function restoreCandleDefaults(wasm: WasmModule): void {
  const length = 30;
  const buffer = wasm._malloc(length * 8 * 4 + 8 + length * 4);
  for (let k = 0; k < 4 * length; k += 1) wasm.HEAPF64[buffer / 8 + k] = 100 + (k % 7);
  const begPointer = buffer + length * 32;
  const args = [
    0,
    length - 1,
    buffer,
    buffer + length * 8,
    buffer + length * 16,
    buffer + length * 24,
    begPointer,
    begPointer + 4,
    begPointer + 8,
  ];
  const types = args.map(() => 'number' as const);
  let periodAddress = -1;
  for (let address = 0; address < buffer && periodAddress < 0; address += 4) {
    const saved = wasm.HEAP32[address / 4]!;
    wasm.HEAP32[address / 4] = 7;
    wasm.ccall('TA_CDLDOJI', 'number', types, args);
    if (wasm.HEAP32[begPointer / 4] === 7) periodAddress = address;
    wasm.HEAP32[address / 4] = saved;
  }
  wasm._free(buffer);
  if (periodAddress < 0) throw new Error('TA-Lib candle settings not found in the WebAssembly memory');
  const base = periodAddress - 8 - BODY_DOJI * SETTING_BYTES;
  TALIB_DEFAULT_CANDLE_SETTINGS.forEach(([rangeType, period, factor], type) => {
    const at = base + type * SETTING_BYTES;
    wasm.HEAP32[at / 4] = type;
    wasm.HEAP32[at / 4 + 1] = rangeType;
    wasm.HEAP32[at / 4 + 2] = period;
    wasm.HEAPF64[(at + 16) / 8] = factor;
  });
}

export async function loadTalib(): Promise<Caller> {
  const talib = require('talib-web') as { init(wasmPath?: string): Promise<WasmModule> };
  const wasmPath = require.resolve('talib-web/lib/talib.wasm');
  // With fetch available the loader would stream the path as a URL; without it, it reads the file from disk.
  const global = globalThis as { fetch?: unknown };
  const savedFetch = global.fetch;
  global.fetch = undefined;
  let wasm: WasmModule;
  try {
    wasm = await talib.init(wasmPath);
  } finally {
    global.fetch = savedFetch;
  }
  const call: Caller = (name, candles) => {
    const length = candles.length;
    const pointers: number[] = [];
    const doubles = (values: (candle: Candle) => number) => {
      const pointer = wasm._malloc(length * 8);
      pointers.push(pointer);
      wasm.HEAPF64.set(candles.map(values), pointer / 8);
      return pointer;
    };
    const inputs = [doubles((c) => c.open), doubles((c) => c.high), doubles((c) => c.low), doubles((c) => c.close)];
    const integers = (count: number) => {
      const pointer = wasm._malloc(count * 4);
      pointers.push(pointer);
      wasm.HEAP32.fill(0, pointer / 4, pointer / 4 + count);
      return pointer;
    };
    const begPointer = integers(1);
    const countPointer = integers(1);
    const outPointer = integers(length);
    const options = name in PENETRATION ? [PENETRATION[name]!] : [];
    const args = [0, length - 1, ...inputs, ...options, begPointer, countPointer, outPointer];
    try {
      const code = wasm.ccall(
        `TA_${name}`,
        'number',
        args.map(() => 'number'),
        args,
      );
      if (code !== 0) throw new Error(`TA_${name} returned ${code}`);
      const begIdx = wasm.HEAP32[begPointer / 4]!;
      const count = wasm.HEAP32[countPointer / 4]!;
      const signals = new Int32Array(length);
      signals.set(wasm.HEAP32.subarray(outPointer / 4, outPointer / 4 + count), begIdx);
      return { begIdx, signals };
    } finally {
      for (const pointer of pointers) wasm._free(pointer);
    }
  };
  restoreCandleDefaults(wasm);
  return call;
}
