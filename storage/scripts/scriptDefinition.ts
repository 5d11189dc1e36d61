/**
 * One description per Lua script: its file, its named KEYS and ARGV, optionally the keys and
 * arguments repeated once per item of a batch, and a parser that checks its reply at run
 * time. Calls are built from the description (named objects in, positional KEYS/ARGV out),
 * and the script receives the same names as Lua locals (`K.stream`, `A.group`, `ITEMS[i]`),
 * generated from the same description, so the two sides cannot drift apart.
 */
export type ScriptArg = string | number;

/** Thrown when a script's reply does not have the shape its description promises. */
export class ScriptReplyError extends Error {
  override readonly name = 'ScriptReplyError';
}

/** Throws a ScriptReplyError naming the script, what was expected and (the start of) what came back. */
export type ReplyFail = (expected: string) => never;

export interface ItemSpec<IK extends string, IA extends string, IL extends string> {
  readonly keys: readonly IK[];
  readonly args: readonly IA[];
  /** Arguments that are lists, sent as their length and then their values. */
  readonly lists?: readonly IL[];
}

export interface ScriptSpec<
  K extends string,
  A extends string,
  L extends string,
  IK extends string,
  IA extends string,
  IL extends string,
  R,
> {
  readonly name: string;
  /** The file in storage/lua. */
  readonly file: string;
  readonly keys: readonly K[];
  readonly args: readonly A[];
  /** Arguments that are lists (sent as their length, then their values), after `args`. */
  readonly lists?: readonly L[];
  /** Keys and arguments repeated once per item of a batch, after the fixed ones. */
  readonly item?: ItemSpec<IK, IA, IL>;
  readonly parseReply: (reply: unknown, fail: ReplyFail) => R;
}

type Values<A extends string, L extends string> = Record<A, ScriptArg> & Record<L, readonly ScriptArg[]>;

export interface ItemCall<IK extends string, IA extends string, IL extends string> {
  keys: Record<IK, string>;
  args: Values<IA, IL>;
}

export type ScriptCall<
  K extends string,
  A extends string,
  L extends string,
  IK extends string,
  IA extends string,
  IL extends string,
> = {
  keys: Record<K, string>;
  args: Values<A, L>;
} & ([IK | IA | IL] extends [never] ? { items?: never } : { items: readonly ItemCall<IK, IA, IL>[] });

export type AnyScript = ScriptSpec<string, string, string, string, string, string, unknown>;
export type ScriptReply<S> = S extends ScriptSpec<string, string, string, string, string, string, infer R> ? R : never;
export type CallOf<S> =
  S extends ScriptSpec<infer K, infer A, infer L, infer IK, infer IA, infer IL, unknown>
    ? ScriptCall<K, A, L, IK, IA, IL>
    : never;

export function defineScript<
  const K extends string,
  const A extends string,
  R,
  const L extends string = never,
  const IK extends string = never,
  const IA extends string = never,
  const IL extends string = never,
>(spec: ScriptSpec<K, A, L, IK, IA, IL, R>): ScriptSpec<K, A, L, IK, IA, IL, R> {
  if (spec.item) {
    // An item's keys and args share one Lua table (see luaPreamble), so their names must differ.
    const names: string[] = [...spec.item.keys, ...spec.item.args, ...(spec.item.lists ?? [])];
    const clash = names.find((name, index) => names.indexOf(name) !== index || name === 'keys' || name === 'args');
    if (clash !== undefined) throw new Error(`script ${spec.name}: item name "${clash}" is used twice or reserved`);
  }
  return spec;
}

type Loose = Record<string, ScriptArg | readonly ScriptArg[]>;
interface LooseCall {
  keys: Record<string, string>;
  args: Loose;
  items?: readonly { keys: Record<string, string>; args: Loose }[];
}

function pushValues(argv: ScriptArg[], names: readonly string[], lists: readonly string[], values: Loose): void {
  for (const name of names) argv.push(values[name] as ScriptArg);
  for (const name of lists) {
    const list = values[name] as readonly ScriptArg[];
    argv.push(list.length);
    for (const value of list) argv.push(value);
  }
}

/**
 * EVALSHA's (or EVAL's) arguments in one array, built in one pass: `head` (the sha or the
 * source), the key count, KEYS, then ARGV in the order the generated Lua preamble reads them.
 * One array handed to ioredis as is: spreading keys and argv into the call copied a batch's
 * thousand arguments twice more before ioredis copied them once itself.
 */
export function scriptCommand(spec: AnyScript, call: LooseCall, head: string): ScriptArg[] {
  const args: ScriptArg[] = [head, 0];
  for (const name of spec.keys) args.push(call.keys[name]!);
  const items = spec.item ? (call.items ?? []) : [];
  if (spec.item) for (const item of items) for (const name of spec.item.keys) args.push(item.keys[name]!);
  args[1] = args.length - 2;
  pushValues(args, spec.args, spec.lists ?? [], call.args);
  if (spec.item) {
    args.push(items.length);
    for (const item of items) pushValues(args, spec.item.args, spec.item.lists ?? [], item.args);
  }
  return args;
}

/** KEYS and ARGV in the order the generated Lua preamble reads them. */
export function scriptArguments(spec: AnyScript, call: LooseCall): { keys: string[]; argv: ScriptArg[] } {
  const args = scriptCommand(spec, call, '');
  const keyCount = args[1] as number;
  return { keys: args.slice(2, 2 + keyCount) as string[], argv: args.slice(2 + keyCount) };
}

/**
 * How a script reads each of its lists: only through `unpack(list)` (then it gets the list's
 * ARGV range, `name_1` to `name_n`, and that unpack reads ARGV directly), or also as a table.
 */
export interface ListReads {
  /** The fixed lists (`A.name`) read only by unpack. */
  fixed: ReadonlySet<string>;
  /** The item lists read only by unpack. */
  item: ReadonlySet<string>;
}

/** Every list as a table too: for text that is not a script body luaScript has read. */
const EVERY_LIST_AS_TABLE: ListReads = { fixed: new Set(), item: new Set() };

/**
 * Lua that reads `names` (one ARGV each) and then `lists` (a length, then its values) from
 * ARGV[c] on, as fields for one table constructor (`lists` via `unpack`), so it is sized once:
 * filling tables field by field grew and rehashed them on every call, and that was a
 * measurable share of a batch script's per-job cost. A list read only by `unpack` gets its
 * ARGV range instead of a table: copying it into a table to unpack it again cost a table and
 * an unpack per list per call.
 */
function readsOf(
  names: readonly string[],
  lists: readonly string[],
  unpackedOnly: ReadonlySet<string>,
  indent: string,
): { lines: string[]; fields: string[]; next: string } {
  const lines: string[] = [];
  const fields = names.map((name, index) => `${name} = ARGV[c + ${index}]`);
  let at = `c + ${names.length}`;
  lists.forEach((name, index) => {
    lines.push(`${indent}local l${index} = ${at}; local n${index} = tonumber(ARGV[l${index}])`);
    if (unpackedOnly.has(name)) {
      fields.push(`${name}_1 = l${index} + 1`, `${name}_n = l${index} + n${index}`);
    } else {
      // Inline for the usual short list; `list` only past what the Lua stack holds.
      fields.push(
        `${name} = n${index} <= 4000 and { unpack(ARGV, l${index} + 1, l${index} + n${index}) } or list(l${index} + 1, n${index})`,
      );
    }
    at = `l${index} + 1 + n${index}`;
  });
  return { lines, fields, next: at };
}

/** The Lua local a script's `K.name` or `A.name` reads (see luaScript). */
const localName = (table: 'K' | 'A', name: string) => `${table}_${name}`;

/**
 * Lua that binds the described names: `K.name` and `A.name` as plain locals (K_name, A_name;
 * luaScript rewrites the script's reads), and `ITEMS[i].keys.name` / `ITEMS[i].args.name`.
 * Locals, not K and A tables: building those two tables on every call cost several hundred
 * instructions a field, a measurable share of a one-job script such as the enqueue.
 */
export function luaPreamble(spec: AnyScript, reads: ListReads = EVERY_LIST_AS_TABLE): string {
  const keyNames: readonly string[] = spec.keys;
  const fixed = readsOf(spec.args, spec.lists ?? [], reads.fixed, '  ');
  const lines = [`-- generated from the script table: ${spec.name}`];
  if (keyNames.length > 0)
    lines.push(
      `local ${keyNames.map((name) => localName('K', name)).join(', ')} = ${keyNames.map((_, index) => `KEYS[${index + 1}]`).join(', ')}`,
    );
  const fixedNames = fixed.fields.map((field) => localName('A', field.slice(0, field.indexOf(' = '))));
  lines.push(`local ${[...fixedNames, 'ITEMS'].join(', ')}`);
  lines.push('do');
  const tableLists = [
    ...(spec.lists ?? []).filter((name: string) => !reads.fixed.has(name)),
    ...(spec.item?.lists ?? []).filter((name: string) => !reads.item.has(name)),
  ];
  if (tableLists.length > 0) {
    // unpack puts the whole list on the Lua stack, which holds about 8,000 values: longer lists are copied one by one.
    lines.push('  local function list(from, n)');
    lines.push('    local l = {}; for j = 1, n do l[j] = ARGV[from + j - 1] end; return l');
    lines.push('  end');
  }
  lines.push('  local c = 1');
  lines.push(...fixed.lines, ...fixed.fields.map((field) => `  ${localName('A', field)}`), `  c = ${fixed.next}`);
  if (spec.item) {
    const itemKeys: readonly string[] = spec.item.keys;
    const item = readsOf(spec.item.args, spec.item.lists ?? [], reads.item, '    ');
    lines.push('  ITEMS = {}');
    lines.push('  local count = tonumber(ARGV[c]); c = c + 1');
    lines.push('  for i = 1, count do');
    lines.push(`    local base = ${keyNames.length} + (i - 1) * ${itemKeys.length}`);
    lines.push(...item.lines);
    // One table per item, its keys and args side by side, and `keys`/`args` naming that same
    // table: three tables per item were a measurable share of a batch script's per-job cost.
    const fields = [...itemKeys.map((name, index) => `${name} = KEYS[base + ${index + 1}]`), ...item.fields];
    lines.push(`    local item = { ${fields.join(', ')}, keys = false, args = false }`);
    lines.push('    item.keys, item.args = item, item');
    lines.push('    ITEMS[i] = item');
    lines.push(`    c = ${item.next}`);
    lines.push('  end');
  }
  lines.push('end');
  return `${lines.join('\n')}\n`;
}

const UNPACK_FIXED = /\bunpack\(A\.(\w+)\)/g;
const UNPACK_ITEM = /\bunpack\(([A-Za-z_]\w*)\.(?:args\.)?(\w+)\)/g;

/** The lists a script body reads only as `unpack(A.name)` or `unpack(item.name)` (`item.args.name`). */
function listReads(spec: AnyScript, body: string): ListReads {
  const rest = body.replace(UNPACK_FIXED, '').replace(UNPACK_ITEM, (read, item: string) => (item === 'A' ? read : ''));
  const fixed = (spec.lists ?? []).filter((name: string) => !new RegExp(`\\bA\\.${name}\\b`).test(rest));
  const item = (spec.item?.lists ?? []).filter((name: string) => !new RegExp(`\\.${name}\\b`).test(rest));
  return { fixed: new Set(fixed), item: new Set(item) };
}

/**
 * The text a script runs: its preamble, then its body with each `K.name` and `A.name` read as
 * the preamble's local, and each unpack of a list read only that way as an unpack of its ARGV
 * range. A name the description does not declare is an error here, when the script is loaded,
 * rather than a nil when it runs.
 */
export function luaScript(spec: AnyScript, body: string): string {
  const declared = { K: new Set<string>(spec.keys), A: new Set<string>([...spec.args, ...(spec.lists ?? [])]) };
  const reads = listReads(spec, body);
  const rewritten = body
    .replace(UNPACK_FIXED, (read, name: string) =>
      reads.fixed.has(name) ? `unpack(ARGV, ${localName('A', `${name}_1`)}, ${localName('A', `${name}_n`)})` : read,
    )
    .replace(UNPACK_ITEM, (read, item: string, name: string) =>
      item !== 'A' && reads.item.has(name) ? `unpack(ARGV, ${item}.${name}_1, ${item}.${name}_n)` : read,
    )
    .replace(/\b([KA])\.([A-Za-z_]\w*)/g, (_, table: 'K' | 'A', name: string) => {
      if (!declared[table].has(name))
        throw new Error(
          `Lua script ${spec.name} (${spec.file}) reads ${table}.${name}, which its description does not declare`,
        );
      return localName(table, name);
    });
  return luaPreamble(spec, reads) + rewritten;
}
