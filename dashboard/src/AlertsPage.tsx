/**
 * The user's alerts: filters (rule, symbol, interval, webhook delivery, served by alerts.list),
 * the newest alerts, and the rules that produce them. alerts.subscribe announces new alerts;
 * the list is then re-read (at most once a second) so the filters keep applying.
 */
import { useState } from 'preact/hooks';
import { INTERVALS } from '../../analysis/intervals.js';
import type { Alert, AlertFilters, AlertRule, Api } from './api';
import { DataTable } from './DataTable';
import { ErrorNote } from './ErrorNote';
import { ChoiceFilter, FilterButtons, formText, SymbolFilter } from './FilterFields';
import { formatTime } from './format';
import { usePolled, useReloadOnEvents } from './hooks';

interface Props {
  api: Api;
  onAuthError: (error: unknown) => void;
}

export const ALERT_PAGE_SIZE = 50;
const DELIVERIES = ['none', 'pending', 'delivered', 'undeliverable'] as const;

function readFilters(form: HTMLFormElement): AlertFilters {
  const text = formText(form);
  const filters: AlertFilters = {};
  if (text('rule_id')) filters.rule_id = text('rule_id');
  if (text('symbol')) filters.symbol = text('symbol').toUpperCase();
  if (text('interval')) filters.interval = text('interval') as AlertFilters['interval'];
  if (text('delivery')) filters.delivery = text('delivery') as AlertFilters['delivery'];
  return filters;
}

/** What matched, in words: the patterns (with direction) and a trend change. */
function matchText(alert: Alert): string {
  const parts = alert.match.patterns.map((hit) => `${hit.pattern.replaceAll('_', ' ')} (${hit.direction})`);
  if (alert.match.trend_change) parts.push(`trend ${alert.match.trend_change.from} → ${alert.match.trend_change.to}`);
  return parts.join(', ') || '—';
}

function criteriaText(rule: AlertRule): string {
  const what = [
    rule.patterns.length > 0 ? rule.patterns.join(', ') : !rule.trend_change && !rule.level_break ? 'any pattern' : '',
    rule.trend_change ? 'trend change' : '',
    rule.level_break ? 'level break' : '',
  ].filter(Boolean);
  const where = `${rule.symbols.length > 0 ? rule.symbols.join(', ') : 'every symbol'} · ${
    rule.intervals.length > 0 ? rule.intervals.join(', ') : 'every interval'
  }`;
  return `${what.join(' or ')}, ${rule.direction}, strength ≥ ${rule.min_strength} · ${where}`;
}

function Delivery({ alert }: { alert: Alert }) {
  if (alert.delivery === 'none') return <span class="muted">no webhook</span>;
  return (
    <>
      <span class={`status delivery-${alert.delivery}`}>{alert.delivery}</span>
      <span class="muted small block">
        {alert.attempts} attempt{alert.attempts === 1 ? '' : 's'}
        {alert.delivered_at && ` · ${formatTime(alert.delivered_at)}`}
      </span>
      {alert.last_error && alert.delivery !== 'delivered' && <span class="error small block">{alert.last_error}</span>}
    </>
  );
}

export function AlertsPage({ api, onAuthError }: Props) {
  const [filters, setFilters] = useState<AlertFilters>({});
  const withAuth = <T,>(call: Promise<T>) =>
    call.catch((error: unknown) => {
      onAuthError(error);
      throw error;
    });
  const alerts = usePolled(
    () => withAuth(api.alerts.list.query({ limit: ALERT_PAGE_SIZE, ...filters })),
    [api, filters],
    // Live through the subscription; the slow re-read catches webhook deliveries, which it does not announce.
    10_000,
  );
  const rules = usePolled(() => withAuth(api.alerts.rules.query()), [api], 30_000);
  useReloadOnEvents(
    (changed) => api.alerts.subscribe.subscribe({ lastEventId: null }, { onData: changed }),
    alerts.reload,
    [api],
  );
  const ruleName = new Map((rules.data?.rules ?? []).map((rule) => [rule.rule_id, rule.name]));
  const list = alerts.data?.alerts;

  return (
    <>
      <section class="card" aria-labelledby="alerts-title">
        <h2 id="alerts-title">Alerts</h2>
        <form
          class="filters"
          aria-label="Filter alerts"
          onSubmit={(event) => {
            event.preventDefault();
            setFilters(readFilters(event.currentTarget));
          }}
          onReset={() => setFilters({})}
        >
          <ChoiceFilter
            label="Rule"
            name="rule_id"
            choices={rules.data?.rules.map((rule) => rule.rule_id) ?? []}
            labelOf={(ruleId) => ruleName.get(ruleId) ?? ruleId}
          />
          <SymbolFilter />
          <ChoiceFilter label="Interval" name="interval" choices={INTERVALS} />
          <ChoiceFilter label="Webhook" name="delivery" choices={DELIVERIES} />
          <FilterButtons />
        </form>
        <ErrorNote error={alerts.error} />
        <DataTable kind="data alerts" columns={['Symbol · interval', 'Rule', 'Match', 'Bar', 'Webhook']}>
          {list?.map((alert) => (
            <tr
              key={alert.alert_id}
              data-alert-id={alert.alert_id}
              data-rule-id={alert.rule_id}
              data-delivery={alert.delivery}
            >
              <td>
                <a href={`#/analysis/${alert.analysis_id}`} class="symbol">
                  {alert.symbol}
                </a>{' '}
                {alert.interval}
                <span class="muted small block">{formatTime(alert.created_at)}</span>
              </td>
              <td>{ruleName.get(alert.rule_id) ?? alert.rule_id}</td>
              <td>{matchText(alert)}</td>
              <td class="nowrap">
                <span class="muted small">bar </span>
                {formatTime(alert.bar)}
              </td>
              <td>
                <Delivery alert={alert} />
              </td>
            </tr>
          ))}
        </DataTable>
        {list && list.length === 0 && (
          <p class="muted empty">No alerts{Object.keys(filters).length > 0 ? ' match these filters' : ' yet'}.</p>
        )}
      </section>
      <section class="card" aria-labelledby="rules-title">
        <h2 id="rules-title">Rules</h2>
        {rules.data && rules.data.rules.length === 0 && (
          <p class="muted">
            No rules yet: create one with <code>alerts.createRule</code>.
          </p>
        )}
        <ul class="rules">
          {rules.data?.rules.map((rule) => (
            <li data-rule-id={rule.rule_id}>
              <strong>{rule.name}</strong>
              <span class="muted small block">{criteriaText(rule)}</span>
              {rule.webhook_url && <span class="muted small block">webhook {rule.webhook_url}</span>}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
