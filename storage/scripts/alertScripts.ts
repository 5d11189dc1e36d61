/** The alert scripts of the script table (storage/lua/recordAlert.lua, claimDueWebhooks.lua, settleWebhook.lua). */
import { integer, list, oneOf, text, texts } from './replies.js';
import { defineScript } from './scriptDefinition.js';

export const recordAlert = defineScript({
  name: 'recordAlert',
  file: 'recordAlert.lua',
  keys: ['once', 'alert', 'userAlerts', 'webhooksDue'],
  args: ['alertId', 'onceTtl', 'alertTtl', 'now', 'logMax', 'channel', 'userId', 'webhook'],
  lists: ['fields'],
  parseReply(reply, fail) {
    const [outcome, id] = list(reply, fail);
    return { outcome: oneOf(outcome, ['created', 'duplicate'], fail), id: text(id, fail) };
  },
});

export const claimDueWebhooks = defineScript({
  name: 'claimDueWebhooks',
  file: 'claimDueWebhooks.lua',
  keys: ['webhooksDue'],
  args: ['now', 'leaseMs', 'limit'],
  parseReply: (reply, fail) => texts(reply, fail),
});

export const settleWebhook = defineScript({
  name: 'settleWebhook',
  file: 'settleWebhook.lua',
  keys: ['webhooksDue', 'alert'],
  args: ['alertId', 'outcome', 'now', 'dueAt', 'error'],
  parseReply: (reply, fail) => integer(reply, fail),
});

export const ALERT_SCRIPTS = [recordAlert, claimDueWebhooks, settleWebhook] as const;
