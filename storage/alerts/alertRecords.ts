/** Alert rules and alerts as stored in their hashes and as returned to clients. */
import type { AlertCriteria, AlertDirection, AlertMatch } from '../../analysis/alertMatch.js';

export interface AlertRule extends AlertCriteria {
  rule_id: string;
  user_id: string;
  name: string;
  webhook_url: string | null;
  created_at: string;
}

export const DELIVERY_STATES = ['none', 'pending', 'delivered', 'undeliverable'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface Alert {
  alert_id: string;
  rule_id: string;
  user_id: string;
  analysis_id: string;
  symbol: string;
  interval: string;
  /** Open time of the bar the match was found on (ISO 8601). */
  bar: string;
  match: AlertMatch;
  created_at: string;
  /** Webhook delivery: `none` without a webhook. */
  delivery: DeliveryState;
  attempts: number;
  last_error: string | null;
  delivered_at: string | null;
}

const DIRECTIONS: readonly AlertDirection[] = ['bullish', 'bearish', 'any'];
const iso = (epochMs: string | undefined) => new Date(Number(epochMs ?? 0)).toISOString();
const list = (text: string | undefined) => (text ? text.split(',') : []);

export function ruleToHash(rule: AlertRule, secret: string, createdAt: number): string[] {
  return Object.entries({
    rule_id: rule.rule_id,
    user_id: rule.user_id,
    name: rule.name,
    patterns: rule.patterns.join(','),
    trend_change: rule.trend_change ? '1' : '0',
    level_break: rule.level_break ? '1' : '0',
    direction: rule.direction,
    min_strength: String(rule.min_strength),
    symbols: rule.symbols.join(','),
    intervals: rule.intervals.join(','),
    webhook_url: rule.webhook_url ?? '',
    secret,
    created_at: String(createdAt),
  }).flat();
}

export function ruleFromHash(hash: Record<string, string>): AlertRule | undefined {
  if (!hash.rule_id || !hash.user_id) return undefined;
  const direction = DIRECTIONS.find((candidate) => candidate === hash.direction) ?? 'any';
  return {
    rule_id: hash.rule_id,
    user_id: hash.user_id,
    name: hash.name ?? '',
    patterns: list(hash.patterns),
    trend_change: hash.trend_change === '1',
    level_break: hash.level_break === '1',
    direction,
    min_strength: Number(hash.min_strength ?? 0),
    symbols: list(hash.symbols),
    intervals: list(hash.intervals),
    webhook_url: hash.webhook_url ? hash.webhook_url : null,
    created_at: iso(hash.created_at),
  };
}

function parseMatch(text: string | undefined): AlertMatch {
  try {
    const value: unknown = JSON.parse(text ?? '');
    if (typeof value === 'object' && value !== null && 'patterns' in value) return value as AlertMatch;
  } catch {
    // An unreadable match reads as an empty one; the alert itself still stands.
  }
  return { patterns: [], trend_change: null };
}

export function alertFromHash(hash: Record<string, string>): Alert | undefined {
  if (!hash.alert_id || !hash.rule_id) return undefined;
  const delivery = DELIVERY_STATES.find((state) => state === hash.delivery) ?? 'none';
  return {
    alert_id: hash.alert_id,
    rule_id: hash.rule_id,
    user_id: hash.user_id ?? '',
    analysis_id: hash.analysis_id ?? '',
    symbol: hash.symbol ?? '',
    interval: hash.interval ?? '',
    bar: hash.bar ?? '',
    match: parseMatch(hash.match),
    created_at: iso(hash.created_at),
    delivery,
    attempts: Number(hash.attempts ?? 0),
    last_error: hash.last_error ? hash.last_error : null,
    delivered_at: hash.delivered_at ? iso(hash.delivered_at) : null,
  };
}
