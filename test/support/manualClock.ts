/** A clock the test moves by hand: timers fire only when advance() passes their time. */
import type { Clock } from '../../actors/clock.js';

export interface ManualClock extends Clock {
  advance(ms: number): void;
  /** Timers armed and not yet fired or cancelled: what a test waits on instead of sleeping. */
  pendingTimers(): number;
}

export function manualClock(start = 0): ManualClock {
  let now = start;
  let timers: { at: number; callback: () => void }[] = [];
  return {
    now: () => now,
    after(ms, callback) {
      const timer = { at: now + ms, callback };
      timers.push(timer);
      return () => {
        timers = timers.filter((other) => other !== timer);
      };
    },
    pendingTimers: () => timers.length,
    advance(ms) {
      now += ms;
      const due = timers.filter((timer) => timer.at <= now);
      timers = timers.filter((timer) => timer.at > now);
      for (const timer of due) timer.callback();
    },
  };
}
