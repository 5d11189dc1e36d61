/**
 * MongoDB wire-protocol framing for the test stand-in: OP_MSG in both directions, and the
 * legacy OP_QUERY request / OP_REPLY answer that the driver uses for its first handshake,
 * before it knows the server speaks OP_MSG. Bodies are BSON through the official `bson`.
 */
import { BSON, type Document } from 'bson';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

const HEADER_BYTES = 16;
const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;
const MAX_MESSAGE_BYTES = 48_000_000;

export interface WireRequest {
  requestId: number;
  opCode: typeof OP_MSG | typeof OP_QUERY;
  /** The command document, with OP_MSG document sequences (kind 1) folded in under their identifiers. */
  command: Document;
  /** False when the client set moreToCome (an unacknowledged write): no reply may be sent. */
  expectsReply: boolean;
}

/** Splits one complete message off the front of the received bytes, if one has fully arrived. */
export function takeMessage(received: Buffer): { message: Buffer; rest: Buffer } | undefined {
  if (received.length < 4) return undefined;
  const length = received.readInt32LE(0);
  if (length < HEADER_BYTES || length > MAX_MESSAGE_BYTES)
    throw new Error(`wire message of ${length} bytes is out of range`);
  if (received.length < length) return undefined;
  return { message: received.subarray(0, length), rest: received.subarray(length) };
}

export function parseRequest(message: Buffer): WireRequest {
  const requestId = message.readInt32LE(4);
  const opCode = message.readInt32LE(12);
  if (opCode === OP_MSG) return parseOpMsg(message, requestId);
  if (opCode === OP_QUERY) return parseOpQuery(message, requestId);
  throw new Error(
    `wire opCode ${opCode} is not emulated by the MongoDB test stand-in (only OP_MSG and the OP_QUERY handshake; compression must stay off)`,
  );
}

function parseOpMsg(message: Buffer, requestId: number): WireRequest {
  const flags = message.readUInt32LE(HEADER_BYTES);
  const end = flags & CHECKSUM_PRESENT ? message.length - 4 : message.length;
  let offset = HEADER_BYTES + 4;
  let command: Document | undefined;
  const sequences: [string, Document[]][] = [];
  while (offset < end) {
    const kind = message.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      const size = message.readInt32LE(offset);
      command = BSON.deserialize(message.subarray(offset, offset + size));
      offset += size;
    } else if (kind === 1) {
      const size = message.readInt32LE(offset);
      const sectionEnd = offset + size;
      const nameEnd = message.indexOf(0, offset + 4);
      const identifier = message.toString('utf8', offset + 4, nameEnd);
      const documents: Document[] = [];
      for (let cursor = nameEnd + 1; cursor < sectionEnd;) {
        const documentSize = message.readInt32LE(cursor);
        documents.push(BSON.deserialize(message.subarray(cursor, cursor + documentSize)));
        cursor += documentSize;
      }
      sequences.push([identifier, documents]);
      offset = sectionEnd;
    } else {
      throw new Error(`OP_MSG section kind ${kind} is unknown`);
    }
  }
  if (!command) throw new Error('OP_MSG without a body section');
  for (const [identifier, documents] of sequences) command[identifier] = documents;
  return { requestId, opCode: OP_MSG, command, expectsReply: (flags & MORE_TO_COME) === 0 };
}

function parseOpQuery(message: Buffer, requestId: number): WireRequest {
  let offset = HEADER_BYTES + 4;
  const nameEnd = message.indexOf(0, offset);
  const namespace = message.toString('utf8', offset, nameEnd);
  offset = nameEnd + 1 + 8; // numberToSkip, numberToReturn
  const size = message.readInt32LE(offset);
  const query = BSON.deserialize(message.subarray(offset, offset + size));
  // Legacy clients may wrap the command as { $query: {...}, $readPreference: ... }.
  const command: Document = typeof query.$query === 'object' && query.$query !== null ? { ...query.$query } : query;
  command.$db = namespace.split('.')[0];
  return { requestId, opCode: OP_QUERY, command, expectsReply: true };
}

export function encodeReply(request: WireRequest, replyId: number, body: Document): Buffer {
  const bson = BSON.serialize(body);
  const header = Buffer.alloc(HEADER_BYTES);
  let prefix: Buffer;
  if (request.opCode === OP_MSG) {
    prefix = Buffer.alloc(5); // flagBits 0, section kind 0
  } else {
    prefix = Buffer.alloc(20); // responseFlags, cursorID (int64), startingFrom: all 0
    prefix.writeInt32LE(1, 16); // numberReturned
  }
  header.writeInt32LE(HEADER_BYTES + prefix.length + bson.length, 0);
  header.writeInt32LE(replyId, 4);
  header.writeInt32LE(request.requestId, 8);
  header.writeInt32LE(request.opCode === OP_MSG ? OP_MSG : OP_REPLY, 12);
  return Buffer.concat([header, prefix, bson]);
}
