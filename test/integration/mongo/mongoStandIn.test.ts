/** The MongoDB test stand-in, exercised by the official driver over TCP, as Candela's stores will use it. */
import { GridFSBucket, MongoClient, MongoServerError, type Db } from 'mongodb';
import { startMongoStandIn, type MongoStandIn } from '../../support/mongoStandIn.js';

let standIn: MongoStandIn;
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  standIn = await startMongoStandIn();
  client = new MongoClient(standIn.url, { serverSelectionTimeoutMS: 2000 });
  await client.connect();
  db = client.db();
});

afterAll(async () => {
  await client.close();
  await standIn.stop();
});

test('the driver connects, pings and reads the build info', async () => {
  expect(await db.command({ ping: 1 })).toMatchObject({ ok: 1 });
  expect((await db.admin().buildInfo()).version).toMatch(/^\d+\.\d+/);
  // The driver's first handshake is the legacy isMaster over OP_QUERY, before it knows OP_MSG is spoken.
  expect(standIn.commandLog[0]).toMatch(/^ismaster$/i);
});

test('insert, find, update and delete round-trip documents with their BSON types', async () => {
  const items = db.collection<{
    name: string;
    n: number;
    createdAt?: Date;
    nested?: { tags: string[] };
    seen?: string[];
  }>('crud');
  const createdAt = new Date('2026-01-02T03:04:05.678Z');
  const { insertedId } = await items.insertOne({ name: 'a', n: 1, createdAt, nested: { tags: ['x'] } });
  await items.insertMany([
    { name: 'b', n: 2 },
    { name: 'c', n: 3 },
  ]);

  const found = await items.findOne({ _id: insertedId });
  expect(found).toMatchObject({ name: 'a', n: 1, nested: { tags: ['x'] } });
  expect(found?.createdAt).toEqual(createdAt);
  expect(await items.find({ n: { $gte: 2 } }, { sort: { n: -1 }, projection: { _id: 0, name: 1 } }).toArray()).toEqual([
    { name: 'c' },
    { name: 'b' },
  ]);

  const updated = await items.updateOne({ name: 'b' }, { $set: { n: 20 }, $push: { seen: 'once' } });
  expect(updated).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
  const unchanged = await items.updateOne({ name: 'b' }, { $set: { n: 20 } });
  expect(unchanged).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
  expect(await items.updateMany({}, { $inc: { n: 1 } })).toMatchObject({ matchedCount: 3, modifiedCount: 3 });
  expect(await items.countDocuments({ n: { $gt: 3 } })).toBe(2);
  expect(await items.estimatedDocumentCount()).toBe(3);

  expect(await items.deleteOne({ name: 'a' })).toMatchObject({ deletedCount: 1 });
  expect(await items.deleteMany({})).toMatchObject({ deletedCount: 2 });
  expect(await items.countDocuments()).toBe(0);
});

test('upsert inserts once from the filter and $setOnInsert, then updates', async () => {
  const items = db.collection('upserts');
  const first = await items.updateOne(
    { key: 'k1' },
    { $set: { value: 1 }, $setOnInsert: { firstSeen: 'now' } },
    { upsert: true },
  );
  expect(first.upsertedCount).toBe(1);
  const second = await items.updateOne(
    { key: 'k1' },
    { $set: { value: 2 }, $setOnInsert: { firstSeen: 'later' } },
    { upsert: true },
  );
  expect(second).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
  expect(await items.find({}, { projection: { _id: 0 } }).toArray()).toEqual([
    { key: 'k1', value: 2, firstSeen: 'now' },
  ]);

  const replaced = await items.replaceOne({ key: 'k2' }, { key: 'k2', whole: true }, { upsert: true });
  expect(replaced.upsertedId).not.toBeNull();
  expect(await items.countDocuments()).toBe(2);
});

test('findOneAndUpdate returns the document before or after, and upserts', async () => {
  const counters = db.collection('counters');
  const created = await counters.findOneAndUpdate(
    { _id: 'jobs' as never },
    { $inc: { seq: 1 } },
    { upsert: true, returnDocument: 'after' },
  );
  expect(created).toEqual({ _id: 'jobs', seq: 1 });
  const before = await counters.findOneAndUpdate(
    { _id: 'jobs' as never },
    { $inc: { seq: 1 } },
    { returnDocument: 'before' },
  );
  expect(before).toEqual({ _id: 'jobs', seq: 1 });
  expect(await counters.findOneAndDelete({ _id: 'jobs' as never })).toEqual({ _id: 'jobs', seq: 2 });
  expect(await counters.findOneAndUpdate({ _id: 'missing' as never }, { $set: { x: 1 } })).toBeNull();
});

test('a unique index refuses a duplicate with error 11000, on insert, update and upsert alike', async () => {
  const items = db.collection('unique');
  await items.insertMany([{ code: 'a' }, { code: 'b' }]);
  expect(await items.createIndex({ code: 1 }, { unique: true })).toBe('code_1');
  expect(await items.createIndex({ code: 1 }, { unique: true })).toBe('code_1');

  const duplicate = await items.insertOne({ code: 'a' }).catch((error: unknown) => error);
  expect(duplicate).toBeInstanceOf(MongoServerError);
  expect(duplicate).toMatchObject({ code: 11000, keyValue: { code: 'a' } });
  expect((duplicate as Error).message).toMatch(
    /E11000 duplicate key error collection: candela_test\.unique index: code_1 dup key: \{ code: "a" \}/,
  );
  await expect(items.updateOne({ code: 'b' }, { $set: { code: 'a' } })).rejects.toMatchObject({ code: 11000 });
  await expect(items.updateOne({ code: 'a', other: true }, { $set: { v: 1 } }, { upsert: true })).rejects.toMatchObject(
    { code: 11000 },
  );
  expect(await items.find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ code: 'a' }, { code: 'b' }]);

  const indexes = await items.listIndexes().toArray();
  expect(indexes.map((index) => [index.name, index.unique ?? false])).toEqual([
    ['_id_', false],
    ['code_1', true],
  ]);
  await expect(items.createIndex({ code: 1 }, { name: 'code_1', unique: false })).rejects.toMatchObject({ code: 85 });
  await expect(
    db
      .collection('dupes')
      .insertMany([{ k: 1 }, { k: 1 }])
      .then(() => db.collection('dupes').createIndex({ k: 1 }, { unique: true })),
  ).rejects.toMatchObject({ code: 11000 });
});

test('a TTL index is stored, listed and can change its expiry (nothing expires in the stand-in)', async () => {
  const items = db.collection('ttl');
  await items.createIndex({ finishedAt: 1 }, { expireAfterSeconds: 60 });
  await db.command({ collMod: 'ttl', index: { keyPattern: { finishedAt: 1 }, expireAfterSeconds: 120 } });
  const ttl = (await items.listIndexes().toArray()).find((index) => index.name === 'finishedAt_1');
  expect(ttl?.expireAfterSeconds).toBe(120);
  await items.dropIndex('finishedAt_1');
  expect((await items.listIndexes().toArray()).map((index) => index.name)).toEqual(['_id_']);
});

test('cursors hand out more than one batch through getMore, and killCursors ends them', async () => {
  const items = db.collection('many');
  await items.insertMany(Array.from({ length: 250 }, (_, n) => ({ n })));
  standIn.commandLog.length = 0;
  const all = await items.find({}, { sort: { n: 1 } }).toArray();
  expect(all.map((document) => document.n)).toEqual(Array.from({ length: 250 }, (_, n) => n));
  expect(standIn.commandLog.filter((name) => name === 'getMore').length).toBeGreaterThanOrEqual(1);

  const small = await items.find({ n: { $lt: 25 } }, { batchSize: 10 }).toArray();
  expect(small).toHaveLength(25);

  const cursor = items.find({}, { batchSize: 5 });
  await cursor.next();
  await cursor.close();
  expect(standIn.commandLog).toContain('killCursors');

  const limited = await items.find({}).sort({ n: -1 }).skip(10).limit(120).toArray();
  expect(limited).toHaveLength(120);
  expect(limited[0]?.n).toBe(239);
});

test('aggregate runs $match, $group and $count', async () => {
  const items = db.collection('many');
  expect(await items.aggregate([{ $match: { n: { $lt: 10 } } }, { $count: 'total' }]).toArray()).toEqual([
    { total: 10 },
  ]);
  const groups = await items
    .aggregate([{ $group: { _id: { $mod: ['$n', 2] }, count: { $sum: 1 } } }, { $sort: { _id: 1 } }])
    .toArray();
  expect(groups).toEqual([
    { _id: 0, count: 125 },
    { _id: 1, count: 125 },
  ]);
});

test('GridFS uploads, downloads by id and name, lists and deletes files over several chunks', async () => {
  const bucket = new GridFSBucket(db, { bucketName: 'files', chunkSizeBytes: 1024 });
  const content = Buffer.from(Array.from({ length: 5000 }, (_, n) => n % 251));
  const upload = bucket.openUploadStream('blob.bin', { metadata: { owner: 'test' } });
  await new Promise<void>((resolve, reject) =>
    upload
      .on('finish', () => resolve())
      .on('error', reject)
      .end(content),
  );

  const chunks: Buffer[] = [];
  for await (const chunk of bucket.openDownloadStream(upload.id)) chunks.push(chunk as Buffer);
  expect(Buffer.concat(chunks).equals(content)).toBe(true);
  expect(await db.collection('files.chunks').countDocuments({ files_id: upload.id })).toBe(5);

  const byName: Buffer[] = [];
  for await (const chunk of bucket.openDownloadStreamByName('blob.bin')) byName.push(chunk as Buffer);
  expect(Buffer.concat(byName).length).toBe(5000);
  expect(await bucket.find({ 'metadata.owner': 'test' }).toArray()).toHaveLength(1);
  expect((await db.collection('files.chunks').listIndexes().toArray()).some((index) => index.unique === true)).toBe(
    true,
  );

  await bucket.delete(upload.id);
  expect(await bucket.find({}).toArray()).toHaveLength(0);
  expect(await db.collection('files.chunks').countDocuments()).toBe(0);
});

test('anything not emulated is refused with CommandNotFound, loudly', async () => {
  await expect(db.command({ serverStatus: 1 })).rejects.toMatchObject({ code: 59, codeName: 'CommandNotFound' });
  await expect(
    db
      .collection('many')
      .aggregate([{ $lookup: { from: 'x', localField: 'a', foreignField: 'b', as: 'c' } }])
      .toArray(),
  ).rejects.toMatchObject({ code: 59 });
  await expect(db.command({ listIndexes: 'never-created' })).rejects.toMatchObject({ code: 26 });
});

test('drop and dropDatabase remove collections', async () => {
  await db.collection('to-drop').insertOne({ a: 1 });
  expect(await db.collection('to-drop').drop()).toBe(true);
  expect(await db.collection('to-drop').countDocuments()).toBe(0);
  await db.dropDatabase();
  expect(await db.collection('many').countDocuments()).toBe(0);
});
