/**
 * The fair-admission script of the script table (storage/lua/admitWaiting.lua), and the
 * admission keys every script that queues, cancels or finishes jobs declares.
 */
import { texts } from './replies.js';
import { defineScript } from './scriptDefinition.js';

/** The admission keys, in the order the queueing scripts declare them after their own. */
export const ADMISSION_KEYS = ['admissionQueue', 'admissionWaiting', 'admissionTags', 'admissionWeights'] as const;

export const admitWaiting = defineScript({
  name: 'admitWaiting',
  file: 'admitWaiting.lua',
  keys: ['stream', 'queue', 'waiting', 'tags', 'weights'],
  args: ['group', 'limit'],
  parseReply: (reply, fail) => texts(reply, fail),
});

export const ADMISSION_SCRIPTS = [admitWaiting] as const;
