/**
 * The node flags a benchmark's child processes start with: BENCH_CPU_PROF=dir writes a V8
 * profile per process and thread into that directory; BENCH_PERF=1 has V8 write a symbol map
 * of its compiled code (`--perf-basic-prof`), so Linux perf can name the JavaScript functions
 * it samples (bench/onCpuSampling.ts); its V8 event log, which that flag also starts, goes to
 * /dev/null instead of an isolate-*.log per process in the working directory.
 */
export function benchNodeFlags(): string[] {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const perfMap = process.env.BENCH_PERF ? ['--perf-basic-prof', '--logfile=/dev/null'] : [];
  return [...profile, ...perfMap];
}
