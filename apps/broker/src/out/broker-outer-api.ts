// Broker → NameServer requests (RocketMQ's BrokerOuterAPI): REGISTER_BROKER to every NameServer
// in parallel with the uncompressed RegisterBrokerBody and its CRC32, UNREGISTER_BROKER at
// shutdown. One NameServer failing (down, slow, error code) never stops the others: every call
// reports one outcome per address.

import { type Logger, crc32Masked } from '@apogee/common';
import {
  type DataVersion, type RemotingClient, type TopicConfig, RegisterBrokerRequestHeader, RegisterBrokerResponseHeader,
  RequestCode, ResponseCode, UnRegisterBrokerRequestHeader, createRequestCommand, encodeRegisterBrokerBody,
} from '@apogee/remoting';

/** Who the broker is, as the NameServers see it. */
export interface BrokerIdentity {
  readonly clusterName: string;
  readonly brokerName: string;
  readonly brokerId: number;
  /** brokerIP1:listenPort */
  readonly brokerAddr: string;
  /** brokerIP2:haListenPort */
  readonly haServerAddr: string;
}

export interface TopicConfigSnapshot {
  readonly dataVersion: DataVersion;
  readonly topicConfigTable: ReadonlyMap<string, Readonly<TopicConfig>>;
}

export type RegisterOutcome =
  | { namesrvAddr: string; ok: true; masterAddr?: string; haServerAddr?: string }
  | { namesrvAddr: string; ok: false; reason: string };

export type UnregisterOutcome = { namesrvAddr: string; ok: true } | { namesrvAddr: string; ok: false; reason: string };

export class BrokerOuterAPI {
  constructor(
    private readonly client: RemotingClient,
    private readonly log: Logger,
  ) {}

  /** REGISTER_BROKER to each address; one outcome per address, in the given order. */
  async registerBrokerAll(
    namesrvAddrs: readonly string[],
    identity: BrokerIdentity,
    topics: TopicConfigSnapshot,
    timeoutMs: number,
  ): Promise<RegisterOutcome[]> {
    const body = encodeRegisterBrokerBody({
      dataVersion: topics.dataVersion,
      topicConfigTable: new Map(topics.topicConfigTable),
      filterServerList: [],
    });
    const ext = RegisterBrokerRequestHeader.encode({
      brokerName: identity.brokerName,
      brokerAddr: identity.brokerAddr,
      clusterName: identity.clusterName,
      haServerAddr: identity.haServerAddr,
      brokerId: identity.brokerId,
      enableActingMaster: false,
      compressed: false,
      bodyCrc32: crc32Masked(body),
    });
    return Promise.all(namesrvAddrs.map((addr) => this.registerOne(addr, ext, body, timeoutMs)));
  }

  /** UNREGISTER_BROKER to each address (graceful shutdown). */
  async unregisterBrokerAll(namesrvAddrs: readonly string[], identity: BrokerIdentity, timeoutMs: number): Promise<UnregisterOutcome[]> {
    const ext = UnRegisterBrokerRequestHeader.encode({
      brokerName: identity.brokerName,
      brokerAddr: identity.brokerAddr,
      clusterName: identity.clusterName,
      brokerId: identity.brokerId,
    });
    return Promise.all(namesrvAddrs.map(async (namesrvAddr): Promise<UnregisterOutcome> => {
      try {
        const response = await this.client.invokeSync(namesrvAddr, createRequestCommand(RequestCode.UNREGISTER_BROKER, { ...ext }), timeoutMs);
        if (response.code !== ResponseCode.SUCCESS) return { namesrvAddr, ok: false, reason: `code ${response.code}: ${response.remark ?? ''}` };
        this.log.info({ namesrvAddr }, 'unregistered from name server');
        return { namesrvAddr, ok: true };
      } catch (err) {
        this.log.warn({ err, namesrvAddr }, 'unregister from name server failed');
        return { namesrvAddr, ok: false, reason: (err as Error).message };
      }
    }));
  }

  private async registerOne(namesrvAddr: string, ext: Record<string, string>, body: Buffer, timeoutMs: number): Promise<RegisterOutcome> {
    try {
      const response = await this.client.invokeSync(namesrvAddr, createRequestCommand(RequestCode.REGISTER_BROKER, { ...ext }, body), timeoutMs);
      if (response.code !== ResponseCode.SUCCESS) {
        const reason = `code ${response.code}: ${response.remark ?? ''}`;
        this.log.warn({ namesrvAddr, reason }, 'name server refused the registration');
        return { namesrvAddr, ok: false, reason };
      }
      const header = RegisterBrokerResponseHeader.decode(response.extFields);
      const outcome: RegisterOutcome = { namesrvAddr, ok: true };
      if (header.ok && header.value.masterAddr !== undefined && header.value.masterAddr !== '') outcome.masterAddr = header.value.masterAddr;
      if (header.ok && header.value.haServerAddr !== undefined && header.value.haServerAddr !== '') outcome.haServerAddr = header.value.haServerAddr;
      this.log.debug({ namesrvAddr }, 'registered with name server');
      return outcome;
    } catch (err) {
      this.log.warn({ namesrvAddr, err: (err as Error).message }, 'register with name server failed');
      return { namesrvAddr, ok: false, reason: (err as Error).message };
    }
  }
}
