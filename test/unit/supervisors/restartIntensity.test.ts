import { createRestartIntensity } from '../../../supervisors/restartIntensity.js';
import { manualClock } from '../../support/manualClock.js';

test('allows so many restarts within the window, then refuses; old restarts age out', () => {
  const clock = manualClock();
  const intensity = createRestartIntensity(3, 60_000, clock);
  expect([intensity.allowRestart(), intensity.allowRestart(), intensity.allowRestart()]).toEqual([true, true, true]);
  expect(intensity.allowRestart()).toBe(false);
  clock.advance(60_001);
  expect(intensity.allowRestart()).toBe(true);
});
