// Crash-test child: opens the store under SYNC_FLUSH (recovering from the previous kill),
// then appends from many concurrent appenders until it is killed, printing one line per
// acknowledged append. stdout is a pipe, and pipe writes are synchronous on Linux, so a line
// printed before SIGKILL reaches the parent.
import { MessageStore, PutMessageStatus, messageStoreConfigForTest } from '../../src/index.js';
import { makeMessage } from '../helpers/store-fixture.js';
import { CRASH_CONFIG, CRASH_TOPICS, CRASH_QUEUES } from './crash-config.js';

const [dir, roundText, flushDiskType] = process.argv.slice(2);
if (!dir || !roundText || (flushDiskType !== 'SYNC_FLUSH' && flushDiskType !== 'ASYNC_FLUSH')) {
  throw new Error('usage: crash-child <storeDir> <round> <SYNC_FLUSH|ASYNC_FLUSH>');
}
const round = Number(roundText);
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const store = new MessageStore(messageStoreConfigForTest(dir, { ...CRASH_CONFIG, flushDiskType }), { logger: silent });
await store.start();
process.stdout.write('READY\n');

let seq = 0;
let rng = (round * 2654435761) >>> 0;
const next = (): number => {
  rng = (Math.imul(rng ^ (rng >>> 15), 2246822507) + 0x9e3779b9) >>> 0;
  return rng;
};

async function appender(id: number): Promise<void> {
  for (;;) {
    const n = seq++;
    const key = `r${round}-a${id}-${n}`;
    const topic = CRASH_TOPICS[next() % CRASH_TOPICS.length]!;
    const queueId = next() % CRASH_QUEUES;
    const body = Buffer.alloc(40 + (next() % 1500), n & 0xff);
    const r = await store.putMessage(makeMessage(topic, queueId, body, { uniqKey: key, keys: `k${n}`, tags: `tag${n % 3}` }));
    if (r.status === PutMessageStatus.PUT_OK) {
      process.stdout.write(`ACK ${topic} ${queueId} ${r.result!.queueOffset} ${r.result!.wroteOffset} ${key}\n`);
    } else {
      process.stdout.write(`NACK ${r.status} ${key}\n`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

for (let i = 0; i < 24; i++) void appender(i);
