/**
 * Channels: parallel boundaries (the gap changes by ≤ 25%) that both move at least 2 v the
 * same way. A channel up is bullish while it holds, a channel down bearish; a horizontal
 * channel is a trading range, which the support and resistance levels already describe.
 */
import { parallel, type Boundaries } from './boundaryLines.js';
import type { BoundedKind } from './chartPatternTypes.js';

export const MIN_CHANNEL_MOVE = 2;

export function classifyChannel(b: Boundaries): BoundedKind | undefined {
  if (!parallel(b, 0.25)) return undefined;
  if (b.upperChange >= MIN_CHANNEL_MOVE && b.lowerChange >= MIN_CHANNEL_MOVE)
    return { pattern: 'channel_up', bullish: true };
  if (b.upperChange <= -MIN_CHANNEL_MOVE && b.lowerChange <= -MIN_CHANNEL_MOVE)
    return { pattern: 'channel_down', bullish: false };
  return undefined;
}
