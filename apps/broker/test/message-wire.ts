// Wire helpers of the message data-path tests: a started broker with the data path, and the
// requests a RocketMQ client sends (SEND_MESSAGE_V2 / V1 / batch, PULL_MESSAGE, ...), built
// with the typed headers, plus decoding of record bodies.

import {
  type Clock, type MessageExt, Message, MessageConst, createUniqueMessageId, decodeMessageRecords, encodeBatchBody, propertiesToString,
} from '@apogee/common';
import {
  type RemotingClient, type RemotingCommand, APOGEE_WIRE_VERSION, GetMaxOffsetRequestHeader, PullMessageRequestHeader, PullSysFlag,
  RequestCode, SendMessageRequestHeader, createRequestCommand, sendHeaderV2FromV1,
} from '@apogee/remoting';
import type { BrokerConfigOverrides, BrokerController } from '../src/index.js';
import { type MessageDataPath, registerMessageProcessors } from '../src/processor/message-processors.js';
import type { Fixture } from './helpers.js';

export const TIMEOUT_MS = 5_000;

export interface RunningBroker {
  readonly broker: BrokerController;
  readonly addr: string;
  readonly path: MessageDataPath;
  readonly dir: string;
}

/** A started broker with the message data path (registered here unless the controller already did). */
export async function startBroker(f: Fixture, overrides: BrokerConfigOverrides = {}, options: { dir?: string; clock?: Clock } = {}): Promise<RunningBroker> {
  const dir = options.dir ?? f.tempDir();
  const broker = f.broker(overrides, { dir, ...(options.clock === undefined ? {} : { clock: options.clock }) });
  const path = registerMessageProcessors(broker);
  if (path === undefined) throw new Error('the broker store has no data path');
  await broker.start();
  return { broker, addr: `127.0.0.1:${broker.listenPort}`, path, dir };
}

/** Waits until everything stored so far is in the ConsumeQueues (a send answers before dispatch). */
export function dispatched(b: RunningBroker): Promise<void> {
  return b.broker.messageStore.waitForDispatch();
}

export interface SendOptions {
  readonly tags?: string;
  readonly keys?: string;
  readonly queueId?: number;
  readonly sysFlag?: number;
  readonly flag?: number;
  /** extra properties (DELAY, TRAN_MSG, ...) */
  readonly properties?: Record<string, string>;
  /** false: the message has no UNIQ_KEY (the broker adds one) */
  readonly withUniqKey?: boolean;
  readonly defaultTopic?: string;
  readonly defaultTopicQueueNums?: number;
  readonly reconsumeTimes?: number;
  readonly maxReconsumeTimes?: number;
  readonly code?: number;
}

/** The properties string a Java producer sends for a message. */
export function messageProperties(topic: string, body: Buffer, opts: SendOptions = {}): string {
  const msg = new Message(topic, body, { ...(opts.tags === undefined ? {} : { tags: opts.tags }), ...(opts.keys === undefined ? {} : { keys: opts.keys }) });
  if (opts.withUniqKey !== false) msg.putProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX, createUniqueMessageId());
  for (const [k, v] of Object.entries(opts.properties ?? {})) msg.putProperty(k, v);
  return propertiesToString(msg.properties);
}

function sendHeader(topic: string, properties: string, opts: SendOptions, isBatch: boolean): SendMessageRequestHeader {
  return {
    producerGroup: 'pg-test', topic, defaultTopic: opts.defaultTopic ?? 'TBW102', defaultTopicQueueNums: opts.defaultTopicQueueNums ?? 4,
    queueId: opts.queueId ?? 0, sysFlag: opts.sysFlag ?? 0, bornTimestamp: Date.now(), flag: opts.flag ?? 0, properties,
    reconsumeTimes: opts.reconsumeTimes ?? 0, unitMode: false, batch: isBatch,
    ...(opts.maxReconsumeTimes === undefined ? {} : { maxReconsumeTimes: opts.maxReconsumeTimes }),
  };
}

/** SEND_MESSAGE_V2 (single-letter header) by default, or SEND_MESSAGE (10) with named fields. */
export function send(client: RemotingClient, addr: string, topic: string, body: string | Buffer, opts: SendOptions = {}): Promise<RemotingCommand> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const header = sendHeader(topic, messageProperties(topic, bytes, opts), opts, false);
  const code = opts.code ?? RequestCode.SEND_MESSAGE_V2;
  const ext = code === RequestCode.SEND_MESSAGE ? SendMessageRequestHeader.encode(header) : encodeV2(header);
  return client.invokeSync(addr, createRequestCommand(code, ext, bytes), TIMEOUT_MS);
}

/** SEND_BATCH_MESSAGE: inner messages with their own UNIQ_KEY, the batch its own UNIQ_KEY and WAIT. */
export function sendBatch(client: RemotingClient, addr: string, topic: string, bodies: readonly string[], opts: SendOptions = {}): Promise<RemotingCommand> {
  const messages = bodies.map((b) => {
    const m = new Message(topic, b, opts.tags === undefined ? {} : { tags: opts.tags });
    m.putProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX, createUniqueMessageId());
    return m;
  });
  const batchProps = new Map([[MessageConst.PROPERTY_WAIT_STORE_MSG_OK, 'true'], [MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX, createUniqueMessageId()]]);
  const header = sendHeader(topic, propertiesToString(batchProps), opts, true);
  return client.invokeSync(addr, createRequestCommand(RequestCode.SEND_BATCH_MESSAGE, encodeV2(header), encodeBatchBody(messages)), TIMEOUT_MS);
}

function encodeV2(header: SendMessageRequestHeader): Record<string, string> {
  const v2 = sendHeaderV2FromV1(header);
  const ext: Record<string, string> = {};
  for (const [k, v] of Object.entries(v2)) if (v !== undefined) ext[k] = String(v);
  return ext;
}

export interface PullOptions {
  readonly queueId?: number;
  readonly offset?: number;
  readonly maxMsgNums?: number;
  /** PullSysFlag bits; default SUBSCRIPTION (a pull consumer) */
  readonly sysFlag?: number;
  readonly subscription?: string;
  readonly suspendTimeoutMillis?: number;
  readonly commitOffset?: number;
  readonly subVersion?: number;
  readonly code?: number;
  readonly timeoutMs?: number;
}

/** A PULL_MESSAGE (or LITE_PULL_MESSAGE) request as a Java consumer builds it. */
export function pullCommand(group: string, topic: string, opts: PullOptions & { expressionType?: string } = {}): RemotingCommand {
  const sysFlag = opts.sysFlag ?? PullSysFlag.SUBSCRIPTION;
  const ext = PullMessageRequestHeader.encode({
    consumerGroup: group, topic, queueId: opts.queueId ?? 0, queueOffset: opts.offset ?? 0, maxMsgNums: opts.maxMsgNums ?? 32, sysFlag,
    commitOffset: opts.commitOffset ?? 0, suspendTimeoutMillis: opts.suspendTimeoutMillis ?? 0, subVersion: opts.subVersion ?? 0,
    ...((sysFlag & PullSysFlag.SUBSCRIPTION) !== 0 ? { subscription: opts.subscription ?? '*', expressionType: opts.expressionType ?? 'TAG' } : {}),
  });
  const cmd = createRequestCommand(opts.code ?? RequestCode.PULL_MESSAGE, ext);
  cmd.version = APOGEE_WIRE_VERSION;
  return cmd;
}

export function pull(client: RemotingClient, addr: string, group: string, topic: string, opts: PullOptions = {}): Promise<RemotingCommand> {
  return client.invokeSync(addr, pullCommand(group, topic, opts), opts.timeoutMs ?? TIMEOUT_MS);
}

/** The messages of a FOUND pull / query / view body; fails the test on a bad record. */
export function decodeBody(body: Buffer | undefined): MessageExt[] {
  const decoded = decodeMessageRecords(body ?? Buffer.alloc(0));
  if (decoded.invalid !== undefined) throw new Error(`body does not decode: ${decoded.invalid}`);
  return decoded.messages;
}

export async function maxOffset(client: RemotingClient, addr: string, topic: string, queueId = 0): Promise<number> {
  const res = await client.invokeSync(addr, createRequestCommand(RequestCode.GET_MAX_OFFSET, GetMaxOffsetRequestHeader.encode({ topic, queueId })), TIMEOUT_MS);
  if (res.code !== 0) throw new Error(`GET_MAX_OFFSET answered ${res.code} ${res.remark ?? ''}`);
  return Number(res.extFields?.['offset']);
}

/** Creates a topic with `queues` queues and perm `perm` directly in the broker's table. */
export function createTopic(broker: BrokerController, topic: string, queues = 4, perm = 6): void {
  const result = broker.topicConfigManager.updateTopicConfig({
    topicName: topic, readQueueNums: queues, writeQueueNums: queues, perm, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false, attributes: {},
  });
  if (typeof result === 'string') throw new Error(result);
}
