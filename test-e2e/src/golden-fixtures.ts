// Turns a capture run into golden fixture files: picks frames by code and opaque with the
// harness's own reader (frame-peek.ts), pairs each request with its response, and writes
//   packages/remoting/test/golden/captured/<name>-<version>.json   one frame each
//   packages/common/test/golden/captured/pull-response-body-<version>.json   stored message records
import fs from 'node:fs';
import path from 'node:path';
import type { CaptureResult, ProgramCapture, WireSerializeType } from './capture-session.js';
import { peekFrame, type PeekedCommand } from './frame-peek.js';
import type { RecordedFrame } from './frame-recorder.js';
import { REPO_ROOT } from './paths.js';

export const REMOTING_CAPTURED_DIR = path.join(REPO_ROOT, 'packages', 'remoting', 'test', 'golden', 'captured');
export const COMMON_CAPTURED_DIR = path.join(REPO_ROOT, 'packages', 'common', 'test', 'golden', 'captured');

const SEND_MESSAGE_V2 = 310;
const PULL_MESSAGE = 11;
const HEART_BEAT = 34;
const GET_ROUTEINFO_BY_TOPIC = 105;

interface Exchange {
  request: RecordedFrame;
  response: RecordedFrame;
  req: PeekedCommand;
  res: PeekedCommand;
}

/** Requests a client sent (toServer, response bit clear) matching `pick`, with their responses. */
function exchanges(frames: readonly RecordedFrame[], pick: (cmd: PeekedCommand) => boolean): Exchange[] {
  const out: Exchange[] = [];
  for (const request of frames) {
    if (request.direction !== 'toServer') continue;
    const req = peekFrame(request.bytes);
    if ((req.flag & 1) !== 0 || !pick(req)) continue;
    const response = frames.find((f) => {
      if (f.direction !== 'toClient' || f.connectionId !== request.connectionId) return false;
      const c = peekFrame(f.bytes);
      return (c.flag & 1) === 1 && c.opaque === req.opaque;
    });
    if (response !== undefined) out.push({ request, response, req, res: peekFrame(response.bytes) });
  }
  return out;
}

function only<T>(items: readonly T[], what: string): T {
  const [first] = items;
  if (first === undefined) throw new Error(`capture has no ${what}`);
  return first;
}

function run(capture: CaptureResult, program: ProgramCapture['program'], serializeType: WireSerializeType): ProgramCapture {
  return only(capture.runs.filter((r) => r.program === program && r.serializeType === serializeType), `${program} ${serializeType} run`);
}

/** What the harness's own reader saw in the frame; the codec tests compare against it. */
function headerView(cmd: PeekedCommand): Record<string, unknown> {
  const view: Record<string, unknown> = {
    code: cmd.code, flag: cmd.flag, opaque: cmd.opaque, language: cmd.language, version: cmd.version,
    extFields: cmd.extFields, headerBytes: cmd.headerBytes, bodyBytes: cmd.body.length,
  };
  if (cmd.remark !== undefined) view.remark = cmd.remark;
  if (cmd.jsonKeyOrder !== undefined) view.jsonKeyOrder = cmd.jsonKeyOrder;
  return view;
}

interface FixtureContext {
  capture: CaptureResult;
  capturedAt: string;
}

function peersLabel(c: CaptureResult): string {
  return c.version === c.serverVersion
    ? `Apache RocketMQ ${c.version} rocketmq-client <-> ${'%s'}`
    : `Apache RocketMQ rocketmq-client ${c.version} <-> ${'%s'} ${c.serverVersion} (no ${c.version} servers on Maven Central)`;
}

function source(ctx: FixtureContext, server: 'broker' | 'namesrv', how: string): string {
  return (
    `captured from ${peersLabel(ctx.capture).replace('%s', server === 'broker' ? 'broker' : 'NameServer')}, ${how}; ` +
    'servers from the Maven jars on 127.0.0.1, client traffic through test-e2e/src/frame-recorder.ts ' +
    `(see test-e2e/src/capture-session.ts), regenerate with: pnpm -C test-e2e exec tsx src/capture-golden.ts; ${ctx.capturedAt}`
  );
}

function frameFixture(ctx: FixtureContext, frame: RecordedFrame, cmd: PeekedCommand, server: 'broker' | 'namesrv', how: string, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    source: source(ctx, server, how),
    rocketmqVersion: ctx.capture.version,
    serverVersion: ctx.capture.serverVersion,
    direction: (cmd.flag & 1) === 1 ? 'response' : 'request',
    serializeType: cmd.serializeType,
    header: headerView(cmd),
    ...extra,
    hex: frame.bytes.toString('hex'),
  };
}

function writeJson(dir: string, name: string, value: unknown): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
  return file;
}

function sentEvent(r: ProgramCapture, index: number): Record<string, unknown> {
  return only(r.events.filter((e) => e.event === 'sent' && e.index === index), `sent event #${index}`);
}

/** Writes every fixture this capture supports; returns the files written. */
export function writeGoldenFixtures(capture: CaptureResult, capturedAt: string): string[] {
  const ctx: FixtureContext = { capture, capturedAt };
  const v = capture.version;
  const files: string[] = [];
  const lower = (t: WireSerializeType): string => t.toLowerCase();

  for (const type of ['JSON', 'ROCKETMQ'] as const) {
    // SEND_MESSAGE_V2: the first message (index 0) of the producer run
    const send = run(capture, 'SendMessages', type);
    const ex = only(exchanges(send.brokerFrames, (c) => c.code === SEND_MESSAGE_V2 && c.extFields.b === send.topic), `SEND_MESSAGE_V2 ${type}`);
    const sent = sentEvent(send, 0);
    const how = `DefaultMQProducer.send(msg, MessageQueue) of test-e2e/java/src/apogee/peers/SendMessages.java, client JVM ${type === 'ROCKETMQ' ? 'with -Drocketmq.serialize.type=ROCKETMQ' : 'with default settings (JSON)'}`;
    const message = {
      producerGroup: send.group, topic: sent.topic, tags: sent.tags, keys: sent.keys, bodyText: sent.bodyText,
      userProperties: sent.userProperties, uniqKey: sent.msgId, brokerName: sent.brokerName,
    };
    const result = { offsetMsgId: sent.offsetMsgId, queueId: sent.queueId, queueOffset: sent.queueOffset, sendStatus: sent.sendStatus };
    files.push(writeJson(REMOTING_CAPTURED_DIR, `send-message-v2-request-${lower(type)}-${v}`, frameFixture(ctx, ex.request, ex.req, 'broker', how, { message })));
    files.push(writeJson(REMOTING_CAPTURED_DIR, `send-message-v2-response-${lower(type)}-${v}`, frameFixture(ctx, ex.response, ex.res, 'broker', how, { message, result })));

    // PULL_MESSAGE that found the messages on queue 0, and the consumer's HEART_BEAT
    const recv = run(capture, 'ReceiveMessages', type);
    const pullHow = `DefaultMQPushConsumer (CONSUME_FROM_FIRST_OFFSET) of test-e2e/java/src/apogee/peers/ReceiveMessages.java, client JVM ${type === 'ROCKETMQ' ? 'with -Drocketmq.serialize.type=ROCKETMQ' : 'with default settings (JSON)'}`;
    const found = exchanges(recv.brokerFrames, (c) => c.code === PULL_MESSAGE && c.extFields.topic === recv.topic && c.extFields.queueId === '0').filter(
      (e) => e.res.code === 0,
    );
    if (found.length !== 1) throw new Error(`expected exactly one FOUND pull of ${recv.topic} queue 0, got ${found.length}`);
    const pull = only(found, 'FOUND pull');
    const sentAll = run(capture, 'SendMessages', type).events.filter((e) => e.event === 'sent');
    const received = recv.events.filter((e) => e.event === 'received');
    const pullExtra = { consumerGroup: recv.group, topic: recv.topic, messageCount: received.length };
    files.push(writeJson(REMOTING_CAPTURED_DIR, `pull-message-request-${lower(type)}-${v}`, frameFixture(ctx, pull.request, pull.req, 'broker', pullHow, { pull: pullExtra })));
    files.push(writeJson(REMOTING_CAPTURED_DIR, `pull-message-response-${lower(type)}-${v}`, frameFixture(ctx, pull.response, pull.res, 'broker', pullHow, { pull: pullExtra })));
    if (type === 'JSON') files.push(writePullBody(ctx, pull, sentAll, received, pullHow));

    const hb = only(
      exchanges(recv.brokerFrames, (c) => c.code === HEART_BEAT && c.body.toString('utf8').includes(recv.group)),
      `HEART_BEAT ${type} with the consumer group`,
    );
    files.push(writeJson(REMOTING_CAPTURED_DIR, `heart-beat-request-${lower(type)}-${v}`, frameFixture(ctx, hb.request, hb.req, 'broker', pullHow, { heartbeat: { consumerGroup: recv.group, topic: recv.topic } })));

    // GET_ROUTEINFO_BY_TOPIC for the (by then auto-created) topic, as the NameServer answered it
    const route = only(
      exchanges(recv.namesrvFrames, (c) => c.code === GET_ROUTEINFO_BY_TOPIC && c.extFields.topic === recv.topic).filter((e) => e.res.code === 0),
      `GET_ROUTEINFO_BY_TOPIC ${type} answered with a route`,
    );
    const routeExtra = { route: { topic: recv.topic, brokerName: capture.brokerName, brokerAddr: capture.brokerAddr } };
    const routeHow = `${pullHow}; recorded before the proxy swapped the broker address`;
    files.push(writeJson(REMOTING_CAPTURED_DIR, `get-routeinfo-by-topic-request-${lower(type)}-${v}`, frameFixture(ctx, route.request, route.req, 'namesrv', routeHow, routeExtra)));
    files.push(writeJson(REMOTING_CAPTURED_DIR, `get-routeinfo-by-topic-response-${lower(type)}-${v}`, frameFixture(ctx, route.response, route.res, 'namesrv', routeHow, routeExtra)));
  }
  return files;
}

function writePullBody(ctx: FixtureContext, pull: Exchange, sent: Record<string, unknown>[], received: Record<string, unknown>[], how: string): string {
  const messages = sent.map((s) => {
    const r = received.find((e) => e.msgId === s.msgId);
    if (r === undefined) throw new Error(`message ${String(s.msgId)} was sent but not received`);
    return {
      topic: s.topic, tags: s.tags, keys: s.keys, bodyText: s.bodyText, userProperties: s.userProperties,
      uniqKey: s.msgId, offsetMsgId: s.offsetMsgId, queueId: s.queueId, queueOffset: s.queueOffset,
      // what the Java client's MessageDecoder made of the same record: it inflates compressed
      // bodies; the 5.x client then clears sysFlag bit 0 (COMPRESSED_FLAG), the 4.9 one keeps it
      javaClientView: {
        sysFlag: r.sysFlag, bodyCRC: r.bodyCRC, commitLogOffset: r.commitLogOffset, storeHost: r.storeHost, bornHost: r.bornHost,
        bornTimestamp: r.bornTimestamp, storeTimestamp: r.storeTimestamp, reconsumeTimes: r.reconsumeTimes, properties: r.properties,
      },
    };
  });
  const c = ctx.capture;
  return writeJson(COMMON_CAPTURED_DIR, `pull-response-body-${c.version}`, {
    source: `body of a PULL_MESSAGE response (code 0, FOUND) ${source(ctx, 'broker', how).replace(/^captured/, 'captured')}`,
    rocketmqVersion: c.version,
    serverVersion: c.serverVersion,
    storeHost: c.brokerAddr,
    brokerName: c.brokerName,
    pull: { topic: pull.req.extFields.topic, queueId: Number(pull.req.extFields.queueId), queueOffset: Number(pull.req.extFields.queueOffset), responseExtFields: pull.res.extFields },
    sentBy: 'test-e2e/java/src/apogee/peers/SendMessages.java (SampleMessages: #0 two keys + user property, #1 non-ASCII body, #2 body over 4096 bytes, compressed by the producer)',
    messages,
    hex: pull.res.body.toString('hex'),
  });
}
