import { categoryOf, tallyPerfScript } from '../../../bench/onCpuSampling.js';

test('puts a sample in a category by the function it hit', () => {
  expect(categoryOf('JS:*detectCandlestickPatterns file:///x.js:53:42', '/tmp/perf-5074.map')).toBe('js_optimized');
  expect(categoryOf('JS:^basename node:path:1438:11', '/tmp/perf-5074.map')).toBe('js_unoptimized');
  expect(categoryOf('Builtins_LoadIC', '/usr/bin/node')).toBe('builtins');
  expect(categoryOf('v8::internal::compiler::GraphReducer::ReduceTop', '/usr/bin/node')).toBe('compiler');
  expect(categoryOf('v8::internal::Scavenger::ScavengeObject<v8::internal::FullHeapObjectSlot>', '/usr/bin/node')).toBe(
    'gc',
  );
  expect(categoryOf('finish_task_switch.isra.0', '[kernel.kallsyms]')).toBe('kernel');
  expect(categoryOf('malloc', '/usr/lib/x86_64-linux-gnu/libc.so.6')).toBe('native');
});

test('counts only the asked processes, every thread, in milliseconds at 499 samples a second', () => {
  const line = (pid: number, tid: number, symbol: string, object: string) =>
    ` ${pid}/${tid}       7f6702fcdd5d ${symbol} (${object})`;
  const script = [
    ...Array.from({ length: 499 }, () => line(10, 10, 'JS:*line file:///d3-shape.mjs:372:16', '/tmp/perf-10.map')),
    ...Array.from({ length: 998 }, () => line(10, 12, 'v8::internal::compiler::Reducer::Reduce', '/usr/bin/node')),
    line(11, 11, 'Builtins_LoadIC', '/usr/bin/node'),
    line(99, 99, 'Builtins_LoadIC', '/usr/bin/node'),
    '    0/0      ffffffff8224215b pv_native_safe_halt ([kernel.kallsyms])',
    'not a sample line',
  ].join('\n');
  expect(tallyPerfScript(script, new Set([10, 11]))).toEqual({
    js_optimized: 1000,
    js_unoptimized: 0,
    builtins: 2,
    compiler: 2000,
    gc: 0,
    kernel: 0,
    native: 0,
  });
});
