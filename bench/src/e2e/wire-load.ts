// A raw remoting client load: SEND_MESSAGE_V2 with a fixed number of requests in flight, then a
// catch-up consume of what was written with PULL_MESSAGE. Speaks only the wire, so the same code
// measures an Apogee broker and an Apache RocketMQ broker.

import { decodeMessageRecords, propertiesToString, createUniqueMessageId } from '@apogee/common';
import {
  PullMessageRequestHeader, RemotingClient, RequestCode, ResponseCode, SendMessageRequestHeaderV2,
  createRequestCommand, parseTopicRouteData, type RemotingCommand,
} from '@apogee/remoting';

export interface ProduceFigures {
  sent: number;
  failed: number;
  seconds: number;
  msgPerSec: number;
  mbPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

export interface ConsumeFigures {
  received: number;
  seconds: number;
  msgPerSec: number;
  mbPerSec: number;
}

const RPC_TIMEOUT_MS = 10_000;

export async function brokerAddrOf(client: RemotingClient, namesrvAddr: string, topic: string): Promise<string> {
  const res = await client.invokeSync(namesrvAddr, createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }), RPC_TIMEOUT_MS);
  if (res.code !== ResponseCode.SUCCESS) throw new Error(`route of ${topic}: code ${res.code} ${res.remark ?? ''}`);
  const route = parseTopicRouteData(res.body);
  if (!route.ok) throw new Error(route.reason);
  const addr = route.value.brokerDatas[0]?.brokerAddrs.get(0);
  if (addr === undefined) throw new Error(`no master for ${topic}`);
  return addr;
}

function sendRequest(topic: string, queueId: number, body: Buffer): RemotingCommand {
  const props = new Map([['UNIQ_KEY', createUniqueMessageId()], ['WAIT', 'true']]);
  const ext = SendMessageRequestHeaderV2.encode({
    a: 'bench_producer', b: topic, c: 'TBW102', d: 4, e: queueId, f: 0, g: Date.now(), h: 0,
    i: propertiesToString(props), j: 0, k: false, m: false,
  });
  return createRequestCommand(RequestCode.SEND_MESSAGE_V2, ext, body);
}

/** Sends for `seconds` with `inFlight` requests outstanding, round-robin over `queues` queues. */
export async function produce(client: RemotingClient, brokerAddr: string, topic: string, opts: { seconds: number; inFlight: number; bodyBytes: number; queues: number }): Promise<ProduceFigures> {
  const body = Buffer.alloc(opts.bodyBytes, 0x61);
  const latenciesUs: number[] = [];
  let sent = 0;
  let failed = 0;
  let next = 0;
  const start = performance.now();
  const deadline = start + opts.seconds * 1000;
  const lane = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const res = await client.invokeSync(brokerAddr, sendRequest(topic, next++ % opts.queues, body), RPC_TIMEOUT_MS);
      if (res.code === ResponseCode.SUCCESS) {
        sent++;
        latenciesUs.push(Math.round((performance.now() - t0) * 1000));
      } else {
        failed++;
        if (failed > 1000) throw new Error(`too many failed sends, last: code ${res.code} ${res.remark ?? ''}`);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.inFlight }, lane));
  const seconds = (performance.now() - start) / 1000;
  latenciesUs.sort((a, b) => a - b);
  const pct = (p: number): number => (latenciesUs[Math.min(latenciesUs.length - 1, Math.floor(latenciesUs.length * p))] ?? 0) / 1000;
  return { sent, failed, seconds, msgPerSec: sent / seconds, mbPerSec: (sent * opts.bodyBytes) / seconds / 1e6, p50Ms: pct(0.5), p99Ms: pct(0.99) };
}

/** Pulls every queue from offset 0 until `expected` messages arrived, one pull in flight per queue. */
export async function consume(client: RemotingClient, brokerAddr: string, topic: string, opts: { queues: number; expected: number; maxMsgNums: number; group: string }): Promise<ConsumeFigures> {
  let received = 0;
  let bytes = 0;
  const start = performance.now();
  const lane = async (queueId: number): Promise<void> => {
    let offset = 0;
    for (;;) {
      const ext = PullMessageRequestHeader.encode({
        consumerGroup: opts.group, topic, queueId, queueOffset: offset, maxMsgNums: opts.maxMsgNums,
        sysFlag: 0x4, commitOffset: 0, suspendTimeoutMillis: 0, subscription: '*', subVersion: 0, expressionType: 'TAG',
      });
      const res = await client.invokeSync(brokerAddr, createRequestCommand(RequestCode.PULL_MESSAGE, ext), RPC_TIMEOUT_MS);
      if (res.code !== ResponseCode.SUCCESS) return; // 19/20/21: nothing more in this queue
      const decoded = decodeMessageRecords(res.body ?? Buffer.alloc(0));
      if (decoded.invalid !== undefined) throw new Error(`pull body of queue ${queueId}: ${decoded.invalid}`);
      received += decoded.messages.length;
      for (const m of decoded.messages) bytes += m.body.length;
      offset = Number(res.extFields?.['nextBeginOffset'] ?? offset + decoded.messages.length);
      if (received >= opts.expected) return;
    }
  };
  await Promise.all(Array.from({ length: opts.queues }, (_, q) => lane(q)));
  const seconds = (performance.now() - start) / 1000;
  return { received, seconds, msgPerSec: received / seconds, mbPerSec: bytes / seconds / 1e6 };
}
