/**
 * OTP-style restart intensity: at most `maxRestarts` restarts within `withinMs`; one more
 * means the failure is not transient and the supervisor escalates instead of looping.
 */
import type { Clock } from '../actors/clock.js';

export interface RestartIntensity {
  /** Records a restart; false when the limit is exceeded. */
  allowRestart(): boolean;
}

export function createRestartIntensity(maxRestarts: number, withinMs: number, clock: Clock): RestartIntensity {
  const restarts: number[] = [];
  return {
    allowRestart() {
      const now = clock.now();
      while (restarts.length > 0 && restarts[0]! <= now - withinMs) restarts.shift();
      restarts.push(now);
      return restarts.length <= maxRestarts;
    },
  };
}
