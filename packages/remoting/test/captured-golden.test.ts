// Frames captured from real Apache RocketMQ peers (test/golden/captured/, written by
// test-e2e/src/capture-golden.ts) against Apogee's frame codec and typed headers.
//
// Each fixture holds the frame bytes plus what the harness's own small reader
// (test-e2e/src/frame-peek.ts, independent of this codec) saw in them, and what the Java program
// sent. "4.9.8" captures are rocketmq-client 4.9.8 against NameServer/Broker 4.9.7 (the last 4.9
// servers on Maven Central).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  FrameDecoder,
  GetRouteInfoRequestHeader,
  HeartbeatRequestHeader,
  PullMessageRequestHeader,
  PullMessageResponseHeader,
  PullSysFlag,
  RequestCode,
  ResponseCode,
  SendMessageRequestHeaderV2,
  SendMessageResponseHeader,
  decodeFrame,
  decodeSendMessageRequestHeader,
  encodeFrame,
  type RemotingCommand,
} from '../src/index.js';

const VERSIONS = ['5.3.3', '4.9.8'] as const;
type Version = (typeof VERSIONS)[number];
const TYPES = ['json', 'rocketmq'] as const;
type WireType = (typeof TYPES)[number];

interface CapturedHeader {
  code: number;
  flag: number;
  opaque: number;
  language: string;
  version: number;
  remark?: string;
  extFields: Record<string, string>;
  headerBytes: number;
  bodyBytes: number;
  jsonKeyOrder?: string[];
}

interface CapturedFrame {
  source: string;
  rocketmqVersion: string;
  serverVersion: string;
  direction: 'request' | 'response';
  serializeType: number;
  header: CapturedHeader;
  hex: string;
  message?: { producerGroup: string; topic: string; tags: string; keys: string; bodyText: string; userProperties: Record<string, string>; uniqKey: string; brokerName: string };
  result?: { offsetMsgId: string; queueId: number; queueOffset: number; sendStatus: string };
  pull?: { consumerGroup: string; topic: string; messageCount: number };
  heartbeat?: { consumerGroup: string; topic: string };
  route?: { topic: string; brokerName: string; brokerAddr: string };
}

const KINDS = [
  'send-message-v2-request', 'send-message-v2-response',
  'pull-message-request', 'pull-message-response',
  'heart-beat-request',
  'get-routeinfo-by-topic-request', 'get-routeinfo-by-topic-response',
] as const;
type Kind = (typeof KINDS)[number];

function load(kind: Kind, type: WireType, version: Version): CapturedFrame {
  const url = new URL(`./golden/captured/${kind}-${type}-${version}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as CapturedFrame;
}

function decodeOk(fx: CapturedFrame): { cmd: RemotingCommand; buf: Buffer } {
  const buf = Buffer.from(fx.hex, 'hex');
  const result = decodeFrame(buf);
  if (result.kind !== 'frame') throw new Error(`expected a frame, got ${JSON.stringify(result)}`);
  expect(result.frameBytes).toBe(buf.length);
  return { cmd: result.command, buf };
}

function headerText(frame: Buffer): string {
  return frame.toString('utf8', 8, 8 + (frame.readUInt32BE(4) & 0xffffff));
}

const ALL = VERSIONS.flatMap((version) => TYPES.flatMap((type) => KINDS.map((kind) => ({ version, type, kind }))));

describe.each(ALL)('captured $kind ($type, RocketMQ $version)', ({ version, type, kind }) => {
  const fx = load(kind, type, version);

  it('decodes to the command the Java peer sent', () => {
    const { cmd } = decodeOk(fx);
    expect(fx.rocketmqVersion).toBe(version);
    expect(cmd.serializeType).toBe(fx.serializeType);
    expect(cmd.code).toBe(fx.header.code);
    expect(cmd.flag).toBe(fx.header.flag);
    expect(cmd.opaque).toBe(fx.header.opaque);
    expect(cmd.language).toBe(fx.header.language);
    expect(cmd.version).toBe(fx.header.version);
    expect(cmd.remark).toBe(fx.header.remark);
    expect(cmd.extFields ?? {}).toEqual(fx.header.extFields);
    expect(cmd.body?.length ?? 0).toBe(fx.header.bodyBytes);
    expect(cmd.flag & 1).toBe(fx.direction === 'response' ? 1 : 0);
  });

  it('decodes the same when the bytes arrive one at a time', () => {
    const { cmd, buf } = decodeOk(fx);
    const seen: RemotingCommand[] = [];
    const reasons: string[] = [];
    const decoder = new FrameDecoder({ frameBytesMax: 16 * 1024 * 1024, headerBytesMax: 1024 * 1024 }, (c) => seen.push(c), (r) => reasons.push(r));
    for (let i = 0; i < buf.length; i++) decoder.push(buf.subarray(i, i + 1));
    expect(reasons).toEqual([]);
    expect(seen).toHaveLength(1);
    expect({ ...seen[0], body: seen[0]?.body?.toString('hex') }).toEqual({ ...cmd, body: cmd.body?.toString('hex') });
  });

  if (fx.serializeType === 1) {
    // The binary header has one layout and the decoded ext fields keep Java's map order, so the
    // re-encoded frame must be the captured frame, byte for byte.
    it('re-encodes to the identical bytes (ROCKETMQ binary header)', () => {
      const { cmd, buf } = decodeOk(fx);
      expect(encodeFrame(cmd).toString('hex')).toBe(buf.toString('hex'));
    });
  } else {
    // JSON: fastjson writes the command's own fields sorted by name, and the ext fields (a Java
    // HashMap) in that map's iteration order. Apogee writes both the same way (ext fields via
    // java-hash-map-order.ts, which models a map that started at 16 buckets), so byte equality is
    // expected, not only equal values. One exception: a 5.x broker that starts the map with
    // RemotingCommand.addExtField gets `new HashMap<>(256)`, whose iteration order differs; the
    // 5.3.3 send response is built that way, so there only the values and the key set must match.
    // Key order and values are checked first so that a failure says which part differs.
    const isJava256BucketMap = version === '5.3.3' && kind === 'send-message-v2-response';
    it(`re-encodes to ${isJava256BucketMap ? 'the same values and keys' : 'the identical bytes'} (JSON header)`, () => {
      const { cmd, buf } = decodeOk(fx);
      const again = encodeFrame(cmd);
      const ours = JSON.parse(headerText(again)) as Record<string, unknown>;
      const java = JSON.parse(headerText(buf)) as Record<string, unknown>;
      expect(Object.keys(ours)).toEqual(fx.header.jsonKeyOrder);
      expect(ours).toEqual(java);
      const oursExt = Object.keys((ours.extFields ?? {}) as Record<string, string>);
      const javaExt = Object.keys((java.extFields ?? {}) as Record<string, string>);
      if (isJava256BucketMap) {
        expect([...oursExt].sort()).toEqual([...javaExt].sort());
      } else {
        expect(oursExt).toEqual(javaExt);
        expect(again.toString('hex')).toBe(buf.toString('hex'));
      }
    });
  }
});

describe.each(VERSIONS.flatMap((version) => TYPES.map((type) => ({ version, type }))))('typed headers of captured frames ($type, RocketMQ $version)', ({ version, type }) => {
  it('SEND_MESSAGE_V2 request: SendMessageRequestHeaderV2 holds what DefaultMQProducer sent', () => {
    const fx = load('send-message-v2-request', type, version);
    const msg = fx.message;
    if (msg === undefined) throw new Error('fixture has no message');
    const { cmd } = decodeOk(fx);
    expect(cmd.code).toBe(RequestCode.SEND_MESSAGE_V2);
    const header = SendMessageRequestHeaderV2.decode(cmd.extFields);
    if (!header.ok) throw new Error(header.reason);
    const h = header.value;
    expect(h.a).toBe(msg.producerGroup);
    expect(h.b).toBe(msg.topic);
    expect(h.c).toBe('TBW102');
    expect(h.d).toBe(4); // DefaultMQProducer.defaultTopicQueueNums
    expect(h.e).toBe(0); // send(msg, MessageQueue(topic, broker, 0))
    expect(h.f).toBe(0); // a small body: no COMPRESSED_FLAG
    expect(h.g).toBe(Number(fx.header.extFields.g));
    expect(h.h).toBe(0);
    expect(h.j).toBe(0);
    expect(h.k).toBe(false);
    expect(h.m).toBe(false);
    expect(h.n).toBe(msg.brokerName);
    const props = propertiesOf(h.i ?? '');
    expect(props.get('TAGS')).toBe(msg.tags);
    expect(props.get('KEYS')).toBe(msg.keys);
    expect(props.get('UNIQ_KEY')).toBe(msg.uniqKey);
    expect(props.get('WAIT')).toBe('true');
    expect(props.get('color')).toBe(msg.userProperties.color);
    expect(cmd.body?.toString('utf8')).toBe(msg.bodyText);
    const v1 = decodeSendMessageRequestHeader(cmd);
    if (!v1.ok) throw new Error(v1.reason);
    expect(v1.value).toMatchObject({ producerGroup: msg.producerGroup, topic: msg.topic, queueId: 0, bname: msg.brokerName });
  });

  it('SEND_MESSAGE_V2 response: SendMessageResponseHeader holds the SendResult the producer got', () => {
    const fx = load('send-message-v2-response', type, version);
    const { cmd } = decodeOk(fx);
    if (fx.result === undefined || fx.message === undefined) throw new Error('fixture has no result');
    expect(cmd.code).toBe(ResponseCode.SUCCESS);
    const header = SendMessageResponseHeader.decode(cmd.extFields);
    if (!header.ok) throw new Error(header.reason);
    expect(header.value.msgId).toBe(fx.result.offsetMsgId);
    expect(header.value.queueId).toBe(fx.result.queueId);
    expect(header.value.queueOffset).toBe(fx.result.queueOffset);
    expect(header.value.MSG_REGION).toBe('DefaultRegion');
    expect(header.value.TRACE_ON).toBe(true);
    // 5.x brokers return the UNIQ_KEY as transactionId on every send; 4.9 brokers do not
    expect(header.value.transactionId).toBe(version === '5.3.3' ? fx.message.uniqKey : undefined);
  });

  it('responses come back JSON from 5.x brokers, in the request type from 4.9 ones', () => {
    const fx = load('send-message-v2-response', type, version);
    const expected = type === 'json' || version === '5.3.3' ? 0 : 1;
    expect(decodeOk(fx).cmd.serializeType).toBe(expected);
  });

  it('PULL_MESSAGE request: PullMessageRequestHeader holds what DefaultMQPushConsumer sent', () => {
    const fx = load('pull-message-request', type, version);
    const { cmd } = decodeOk(fx);
    if (fx.pull === undefined) throw new Error('fixture has no pull');
    expect(cmd.code).toBe(RequestCode.PULL_MESSAGE);
    const header = PullMessageRequestHeader.decode(cmd.extFields);
    if (!header.ok) throw new Error(header.reason);
    const h = header.value;
    expect(h.consumerGroup).toBe(fx.pull.consumerGroup);
    expect(h.topic).toBe(fx.pull.topic);
    expect(h.queueId).toBe(0);
    expect(h.queueOffset).toBe(0);
    expect(h.maxMsgNums).toBe(32);
    // a fresh push consumer: long polling only (no offset to commit yet, subscription from heartbeat)
    expect(h.sysFlag).toBe(PullSysFlag.SUSPEND);
    expect(h.commitOffset).toBe(0);
    expect(h.suspendTimeoutMillis).toBe(15_000);
    expect(h.subscription).toBeUndefined();
    expect(h.subVersion).toBe(Number(fx.header.extFields.subVersion));
    expect(h.expressionType).toBe('TAG');
    expect(h.maxMsgBytes).toBe(version === '5.3.3' ? 262_144 : undefined);
    expect(h.bname).toBe('broker-a');
  });

  it('PULL_MESSAGE response: FOUND with every message and the queue offsets', () => {
    const fx = load('pull-message-response', type, version);
    const { cmd } = decodeOk(fx);
    expect(cmd.code).toBe(ResponseCode.SUCCESS);
    expect(cmd.remark).toBe('FOUND');
    const header = PullMessageResponseHeader.decode(cmd.extFields);
    if (!header.ok) throw new Error(header.reason);
    const count = fx.pull?.messageCount ?? -1;
    expect(header.value).toMatchObject({ suggestWhichBrokerId: 0, minOffset: 0, nextBeginOffset: count, maxOffset: count });
    // the body is the stored records back to back: the first TOTALSIZE fits inside it
    const body = cmd.body ?? Buffer.alloc(0);
    expect(body.length).toBeGreaterThan(0);
    expect(body.readInt32BE(0)).toBeLessThanOrEqual(body.length);
  });

  it('HEART_BEAT request: header decodes; the body names the consumer group and its subscription', () => {
    const fx = load('heart-beat-request', type, version);
    const { cmd } = decodeOk(fx);
    expect(cmd.code).toBe(RequestCode.HEART_BEAT);
    const header = HeartbeatRequestHeader.decode(cmd.extFields);
    expect(header.ok).toBe(true);
    const body = JSON.parse(cmd.body?.toString('utf8') ?? '') as {
      clientID: string;
      consumerDataSet: { groupName: string; consumeType: string; messageModel: string; subscriptionDataSet: { topic: string; subString: string }[] }[];
      producerDataSet: { groupName: string }[];
    };
    expect(body.clientID).toMatch(/@/);
    const consumer = body.consumerDataSet.find((c) => c.groupName === fx.heartbeat?.consumerGroup);
    expect(consumer).toMatchObject({ consumeType: 'CONSUME_PASSIVELY', messageModel: 'CLUSTERING' });
    expect(consumer?.subscriptionDataSet.map((s) => s.topic)).toContain(fx.heartbeat?.topic);
    expect(body.producerDataSet.map((p) => p.groupName)).toContain('CLIENT_INNER_PRODUCER');
  });

  it('GET_ROUTEINFO_BY_TOPIC: request header and the route the NameServer answered', () => {
    const req = load('get-routeinfo-by-topic-request', type, version);
    const res = load('get-routeinfo-by-topic-response', type, version);
    const route = req.route;
    if (route === undefined) throw new Error('fixture has no route');
    const request = decodeOk(req).cmd;
    expect(request.code).toBe(RequestCode.GET_ROUTEINFO_BY_TOPIC);
    const header = GetRouteInfoRequestHeader.decode(request.extFields);
    if (!header.ok) throw new Error(header.reason);
    expect(header.value.topic).toBe(route.topic);
    const response = decodeOk(res).cmd;
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(response.opaque).toBe(request.opaque);
    // clients >= V4_9_4 (version 401) get standard JSON, quoted brokerAddrs keys included
    const body = JSON.parse(response.body?.toString('utf8') ?? '') as {
      brokerDatas: { brokerName: string; brokerAddrs: Record<string, string> }[];
      queueDatas: { brokerName: string; perm: number; readQueueNums: number; writeQueueNums: number }[];
    };
    expect(body.brokerDatas).toHaveLength(1);
    expect(body.brokerDatas[0]).toMatchObject({ brokerName: route.brokerName, brokerAddrs: { '0': route.brokerAddr } });
    expect(body.queueDatas[0]).toMatchObject({ brokerName: route.brokerName, perm: 6, readQueueNums: 4, writeQueueNums: 4 });
  });
});

/** Java's string2messageProperties, written here so the test does not lean on the codec under test. */
function propertiesOf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of text.split('\u0002')) {
    const at = pair.indexOf('\u0001');
    if (at > 0 && at < pair.length - 1) out.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return out;
}
