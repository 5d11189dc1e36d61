/** A count over the last hour, in one-minute buckets: what workers.list shows per worker. */
const BUCKET_MS = 60_000;
const BUCKETS = 60;

export interface HourCount {
  add(amount: number, now: number): void;
  /** The amount added in the last hour (to the minute) before `now`. */
  total(now: number): number;
}

export function createHourCount(): HourCount {
  const counts = new Array<number>(BUCKETS).fill(0);
  const minutes = new Array<number>(BUCKETS).fill(-1);
  const slot = (minute: number) => minute % BUCKETS;
  return {
    add(amount, now) {
      const minute = Math.floor(now / BUCKET_MS);
      const index = slot(minute);
      if (minutes[index] !== minute) {
        minutes[index] = minute;
        counts[index] = 0;
      }
      counts[index]! += amount;
    },
    total(now) {
      const current = Math.floor(now / BUCKET_MS);
      let sum = 0;
      for (let index = 0; index < BUCKETS; index += 1)
        if (minutes[index]! > current - BUCKETS && minutes[index]! <= current) sum += counts[index]!;
      return sum;
    },
  };
}
