// Broker crash under load: a Java producer sends a numbered stream with retries (every message
// retried until SEND_OK) while a push consumer reads it; the broker is SIGKILLed mid-load and
// restarted on the same store. With SYNC_FLUSH, SEND_OK means "on disk", so every acknowledged
// message must come back: at the queue position the broker reported, with the producer's id and
// body. Duplicates are allowed (RocketMQ is at-least-once: a send whose reply was lost is retried
// and stored again; consumer offsets committed less than a flush interval before the crash are
// re-read), phantoms are not (nothing the producer never sent).
import { expect } from 'vitest';
import { expectedBody, expectedKeys, startProducer, startPushConsumer, type MessageShape } from './interop-programs.js';
import { names, type ScenarioContext } from './interop-scenarios.js';
import type { JavaEvent, JavaProgram } from './java-program.js';

/** A broker the scenario can crash and bring back. */
export interface CrashableBroker {
  /** SIGKILL, await the exit */
  crash(): Promise<void>;
  /** start again on the same store; resolves once it serves and is registered */
  restart(): Promise<void>;
}

export interface Kill9Options {
  /** messages in the stream */
  total: number;
  /** acknowledged sends before the crash */
  crashAfterAcked: number;
}

export interface Kill9Outcome {
  acked: number;
  sendErrors: number;
  deliveries: number;
  duplicates: number;
  downMs: number;
}

function num(e: JavaEvent, key: string): number {
  return e[key] as number;
}

export async function crashUnderLoad(ctx: ScenarioContext, broker: CrashableBroker, opts: Kill9Options): Promise<Kill9Outcome> {
  const { topic, group, producerGroup } = names(ctx, 'kill9');
  const shape: MessageShape = { tags: ['TagA', 'TagB'], keyPrefix: `k-${ctx.uid}`, bodyPrefix: 'kill9' };
  const programs: JavaProgram[] = [];
  try {
    const consumer = await startPushConsumer(ctx.client, { topic, group, name: 'kill9-consumer', timeoutMs: 150_000 });
    programs.push(consumer);
    const producer = await startProducer(ctx.client, {
      ...shape, topic, group: producerGroup, plan: [['load', opts.total]], retries: 2, sendTimeoutMs: 3_000, attemptDeadlineMs: 90_000,
    });
    programs.push(producer);
    const received = (): Set<number> => new Set(consumer.eventsNamed('received').map((e) => num(e, 'idx')));
    await producer.waitFor((ev) => ev.filter((e) => e.event === 'sent').length >= opts.crashAfterAcked, 60_000, `${opts.crashAfterAcked} acknowledged sends`);
    await consumer.waitFor(() => received().size > 0, 30_000, 'a first delivery before the crash');

    const crashedAt = Date.now();
    await broker.crash();
    const ackedAtCrash = producer.eventsNamed('sent').length;
    // the producer notices (connection reset / refused) before the broker comes back
    await producer.waitFor((ev) => ev.some((e) => e.event === 'send-error'), 30_000, 'a send error while the broker is down');
    await broker.restart();
    const downMs = Date.now() - crashedAt;

    const exit = await producer.finish(120_000);
    const sent = producer.eventsNamed('sent');
    expect(producer.eventsNamed('send-failed'), `messages never acknowledged; ${producer.diagnostics()}`).toEqual([]);
    expect(exit.code).toBe(0);
    expect(sent.length, 'the stream went on after the restart').toBeGreaterThan(ackedAtCrash);
    const acked = new Map(sent.map((e) => [num(e, 'index'), e]));
    expect(acked.size).toBe(opts.total);

    await consumer.waitFor(() => {
      const got = received();
      return [...acked.keys()].every((i) => got.has(i));
    }, 90_000, `every acknowledged message (${acked.size}) consumed`);
    await consumer.stop();

    const deliveries = consumer.eventsNamed('received');
    const byPosition = new Map<string, JavaEvent>();
    for (const d of deliveries) {
      const i = num(d, 'idx');
      // no phantoms: every delivery is a message the producer sent, unchanged
      expect(acked.has(i), `delivered idx ${i} was sent`).toBe(true);
      expect({ body: d.body, keys: d.keys, topic: d.topic }).toEqual({ body: expectedBody(shape, i), keys: expectedKeys(shape, i), topic });
      byPosition.set(`${num(d, 'queueId')}/${num(d, 'queueOffset')}`, d);
    }
    // every SEND_OK position holds exactly the message acknowledged there (SYNC_FLUSH durability)
    for (const [i, s] of acked) {
      const at = byPosition.get(`${num(s, 'queueId')}/${num(s, 'queueOffset')}`);
      expect({ idx: at?.idx, msgId: at?.msgId }, `message ${i} at queue ${num(s, 'queueId')} offset ${num(s, 'queueOffset')}`).toEqual({ idx: i, msgId: s.msgId });
    }
    return {
      acked: acked.size,
      sendErrors: producer.eventsNamed('send-error').length,
      deliveries: deliveries.length,
      duplicates: deliveries.length - new Set(deliveries.map((d) => num(d, 'idx'))).size,
      downMs,
    };
  } finally {
    await Promise.all(programs.map((p) => p.stop().catch(() => p.kill())));
  }
}
