// Shared test fixtures: a real NameServer and a real broker in this process on ephemeral
// loopback ports, each in its own temp dir, and a RemotingClient speaking to them as a client
// would. Everything a fixture starts is shut down by closeAll().

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '@apogee/common';
import { createNamesrvController, type NamesrvController } from '@apogee/namesrv';
import {
  RemotingClient, RequestCode, SerializeType, createRequestCommand, type RemotingCommand,
} from '@apogee/remoting';
import { quietLogger, randomId } from '@apogee/remoting/testing';
import { BrokerController, brokerConfigForTest, type BrokerConfigOverrides } from '../src/index.js';

type Closable = { shutdown(): Promise<void> };

export class Fixture {
  private readonly closables: Closable[] = [];
  private readonly dirs: string[] = [];

  tempDir(prefix = 'apogee-broker-'): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  async namesrv(): Promise<NamesrvController> {
    const namesrv = createNamesrvController(new Map(), { listenPort: 0, kvConfigPath: join(this.tempDir('apogee-ns-'), 'kvConfig.json') }, { logger: quietLogger('namesrv') });
    this.closables.push(namesrv);
    await namesrv.start();
    return namesrv;
  }

  /** A broker (not started) on an ephemeral port with the test profile; `dir` reuses a data dir. */
  broker(overrides: BrokerConfigOverrides = {}, options: { clock?: Clock; dir?: string } = {}): BrokerController {
    const dir = options.dir ?? this.tempDir();
    const broker = new BrokerController(
      brokerConfigForTest(dir, { brokerName: `broker-${randomId()}`, ...overrides }),
      { logger: quietLogger('broker'), ...(options.clock === undefined ? {} : { clock: options.clock }) },
    );
    this.closables.push(broker);
    return broker;
  }

  client(): RemotingClient {
    const client = new RemotingClient({ serializeType: SerializeType.JSON, logger: quietLogger('client') });
    this.closables.push(client);
    return client;
  }

  async closeAll(): Promise<void> {
    for (const closable of this.closables.reverse()) await closable.shutdown();
    this.closables.length = 0;
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
    this.dirs.length = 0;
  }
}

export interface ConsumerSpec {
  group: string;
  topics: string[];
  messageModel?: 'CLUSTERING' | 'BROADCASTING';
  subVersion?: number;
}

/** A HeartbeatData body as a Java client writes it. */
export function heartbeatBody(clientID: string, consumers: ConsumerSpec[], producerGroups: string[] = []): Buffer {
  return Buffer.from(JSON.stringify({
    clientID,
    consumerDataSet: consumers.map((c) => ({
      consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
      consumeType: 'CONSUME_PASSIVELY',
      groupName: c.group,
      messageModel: c.messageModel ?? 'CLUSTERING',
      subscriptionDataSet: c.topics.map((topic) => ({
        classFilterMode: false, codeSet: [], expressionType: 'TAG', subString: '*', subVersion: c.subVersion ?? 1_700_000_000_000, tagsSet: [], topic,
      })),
      unitMode: false,
    })),
    producerDataSet: [{ groupName: 'CLIENT_INNER_PRODUCER' }, ...producerGroups.map((groupName) => ({ groupName }))],
    heartbeatFingerprint: 0,
    withoutSub: false,
  }));
}

export function heartbeat(client: RemotingClient, addr: string, clientID: string, consumers: ConsumerSpec[], producerGroups: string[] = []): Promise<RemotingCommand> {
  return client.invokeSync(addr, createRequestCommand(RequestCode.HEART_BEAT, {}, heartbeatBody(clientID, consumers, producerGroups)), 3_000);
}

/** The consumer ids of a group, or the error response. */
export async function consumerList(client: RemotingClient, addr: string, group: string): Promise<string[] | RemotingCommand> {
  const res = await client.invokeSync(addr, createRequestCommand(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: group }), 3_000);
  if (res.code !== 0) return res;
  return (JSON.parse(res.body!.toString()) as { consumerIdList: string[] }).consumerIdList;
}
