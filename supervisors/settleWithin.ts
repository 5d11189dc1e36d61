/** Bounds a wait on I/O: Redis commands wait for a reconnect for as long as it takes, a supervisor does not. */
export async function settleWithin<T>(
  ms: number,
  work: Promise<T>,
): Promise<{ settled: true; value: T } | { settled: false }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ settled: false }>((resolve) => {
    timer = setTimeout(() => resolve({ settled: false }), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ settled: true as const, value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
