/**
 * The generated preamble and the event JSON built in Lua, run on a real redis-server: lists of
 * every length (empty, short, past what `unpack` can take), batch items whose keys and args
 * share one table, and event text that needs escaping.
 */
import { readFileSync } from 'node:fs';
import { startRedis, type TestRedis } from '../../support/redisServer.js';
import { eventJson, parseProgressEvent, progressEvent } from '../../../storage/progressEvent.js';
import { defineScript, luaScript, scriptArguments } from '../../../storage/scripts/scriptDefinition.js';

const luaProgressEvent = readFileSync(
  new URL('../../../storage/lua/includes/progressEvent.lua', import.meta.url),
  'utf8',
);

let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await redis.stop();
});

const echo = defineScript({
  name: 'echo',
  file: 'unused.lua',
  keys: ['first'],
  args: ['one'],
  lists: ['values'],
  item: { keys: ['job'], args: ['entryId'], lists: ['fields'] },
  parseReply: (reply) => reply,
});

async function run(body: string, call: Parameters<typeof scriptArguments>[1]): Promise<unknown> {
  const { keys, argv } = scriptArguments(echo, call);
  return redis.client.eval(luaScript(echo, body), keys.length, ...keys, ...argv);
}

test('lists of every length and batch items arrive under their names', async () => {
  const long = Array.from({ length: 5000 }, (_, index) => `v${index}`);
  const reply = await run(
    `local out = { K.first, A.one, #A.values, A.values[#A.values] or '' }
     for _, item in ipairs(ITEMS) do
       out[#out + 1] = item.keys.job .. '|' .. item.args.entryId .. '|' .. #item.args.fields .. '|' .. (item.args.fields[1] or '')
     end
     return out`,
    {
      keys: { first: 'k1' },
      args: { one: 'a1', values: long },
      items: [
        { keys: { job: 'j1' }, args: { entryId: 'e1', fields: [] } },
        { keys: { job: 'j2' }, args: { entryId: 'e2', fields: ['f', 'g'] } },
      ],
    },
  );
  expect(reply).toEqual(['k1', 'a1', 5000, 'v4999', 'j1|e1|0|', 'j2|e2|2|f']);
});

test('a list read only by unpack is unpacked from ARGV, without a table; one also read otherwise keeps its table', async () => {
  const call = {
    keys: { first: 'k1' },
    args: { one: 'a1', values: ['v1', 'v2', 'v3'] },
    items: [
      { keys: { job: 'j1' }, args: { entryId: 'e1', fields: ['f', 'g'] } },
      { keys: { job: 'j2' }, args: { entryId: 'e2', fields: [] } },
    ],
  };
  const unpackedOnly = `local out = { unpack(A.values) }
     for _, item in ipairs(ITEMS) do out[#out + 1] = table.concat({ item.args.entryId, unpack(item.args.fields) }, '|') end
     return out`;
  expect(luaScript(echo, unpackedOnly)).not.toMatch(/\b(values|fields) = /);
  expect(await run(unpackedOnly, call)).toEqual(['v1', 'v2', 'v3', 'e1|f|g', 'e2']);

  const both = `return { #A.values, unpack(A.values) }`;
  expect(luaScript(echo, both)).toMatch(/\bA_values = /);
  expect(await run(both, call)).toEqual([3, 'v1', 'v2', 'v3']);
});

test("an event a script builds is valid JSON, escaping included, and the same as a caller's eventJson", async () => {
  const event = progressEvent('processing', 'chart', 0.35, 'quote " backslash \\ newline \n tab \t é', { n: [] });
  const fields = [event.status, event.stage, event.progress, event.message, event.at, JSON.stringify(event.data)];
  const reply = await run(
    `${luaProgressEvent}
     return progressEvent(unpack(A.values))`,
    { keys: { first: 'k' }, args: { one: '', values: fields }, items: [] },
  );
  const built = JSON.parse(String(reply)) as Record<string, unknown>;
  expect(parseProgressEvent(built)).toEqual(event);
  const sent = JSON.parse(eventJson(event)) as Record<string, unknown>;
  expect(built).toEqual(sent);
  expect(Object.keys(built)).toEqual(Object.keys(sent));
});

test('an event whose numbers are not finite is refused before it reaches a script', () => {
  expect(() => eventJson({ ...progressEvent('queued', 'queued', 0, 'queued'), at: Number.NaN })).toThrow(RangeError);
});

test('item keys and args must have different names, as they share one Lua table', () => {
  expect(() =>
    defineScript({
      name: 'clash',
      file: 'unused.lua',
      keys: [],
      args: [],
      item: { keys: ['job'], args: ['job'] },
      parseReply: (reply) => reply,
    }),
  ).toThrow(/job/);
});
