/** A benchmark worker process's own CPU since it started work, written to stdout for bench/queue.ts to read. */
export const CPU_PREFIX = 'cpu-us ';

export function reportCpu(since: NodeJS.CpuUsage): void {
  const { user, system } = process.cpuUsage(since);
  process.stdout.write(`${CPU_PREFIX}${user + system}\n`);
}

/** The figure reportCpu wrote, from a worker's stdout text; undefined when it wrote none. */
export function parseCpu(output: string): number | undefined {
  const line = output.split('\n').find((text) => text.startsWith(CPU_PREFIX));
  return line === undefined ? undefined : Number(line.slice(CPU_PREFIX.length));
}
