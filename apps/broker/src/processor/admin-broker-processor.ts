// Broker admin, the broker itself (RocketMQ's AdminBrokerProcessor, reference §3.4):
//   GET_BROKER_RUNTIME_INFO (28)   KVTable (runtime-info.ts): clusterList, brokerStatus
//   GET_BROKER_CONFIG (26)         properties text of the effective config; header version = DataVersion JSON
//   UPDATE_BROKER_CONFIG (25)      properties text; only runtime-changeable keys (broker-config-update.ts),
//                                  others refused with 16 NO_PERMISSION and nothing applied
//   VIEW_BROKER_STATS_DATA (315)   BrokerStatsData of one stats item; 1 when nothing was counted under it
// A config update is applied in memory (the config file is not rewritten). A brokerPermission
// change re-registers with the NameServers, as RocketMQ does.

import type { Logger } from '@apogee/common';
import {
  type RemotingCommand, type RequestContext, type RequestProcessor, GetBrokerConfigResponseHeader, RequestCode, ResponseCode,
  ViewBrokerStatsDataRequestHeader, decodeRequestHeader, errorResponse, successResponse, toFastjsonString,
} from '@apogee/remoting';
import type { MessageStoreConfig } from '@apogee/store';
import type { BrokerConfig } from '../config/broker-config.js';
import { brokerConfigToProperties } from '../config/load-broker-config.js';
import type { DataVersionCounter } from '../persist/data-version.js';
import { brokerStatsDataBody, kvTableBody } from '../admin/admin-bodies.js';
import { applyBrokerConfigUpdate } from '../admin/broker-config-update.js';
import type { BrokerStats } from '../admin/broker-stats.js';
import { type RuntimeInfoSource, buildRuntimeInfo } from '../admin/runtime-info.js';

export interface AdminBrokerDeps {
  readonly config: () => BrokerConfig;
  readonly storeConfig: MessageStoreConfig;
  /** installs the config every component reads through `brokerConfig` from now on */
  readonly replaceConfig: (next: BrokerConfig) => void;
  readonly configVersion: DataVersionCounter;
  readonly stats: BrokerStats;
  /** everything runtime-info.ts needs, taken at the time of the request */
  readonly runtimeSource: () => RuntimeInfoSource;
  readonly registerBrokerAll: () => Promise<unknown>;
  /** new topic-table data version, so the NameServer re-reads the (perm-masked) topics */
  readonly bumpTopicDataVersion: () => void;
  readonly log: Logger;
}

export const ADMIN_BROKER_CODES: readonly number[] = [
  RequestCode.GET_BROKER_RUNTIME_INFO, RequestCode.GET_BROKER_CONFIG, RequestCode.UPDATE_BROKER_CONFIG, RequestCode.VIEW_BROKER_STATS_DATA,
];

export class AdminBrokerProcessor implements RequestProcessor {
  constructor(private readonly deps: AdminBrokerDeps) {}

  process(ctx: RequestContext, request: RemotingCommand): Promise<RemotingCommand> | RemotingCommand {
    switch (request.code) {
      case RequestCode.GET_BROKER_RUNTIME_INFO: return this.getBrokerRuntimeInfo(request);
      case RequestCode.GET_BROKER_CONFIG: return this.getBrokerConfig(request);
      case RequestCode.UPDATE_BROKER_CONFIG: return this.updateBrokerConfig(ctx, request);
      case RequestCode.VIEW_BROKER_STATS_DATA: return this.viewBrokerStatsData(request);
      default:
        return errorResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, `admin broker processor does not handle request code ${request.code}`);
    }
  }

  private async getBrokerRuntimeInfo(request: RemotingCommand): Promise<RemotingCommand> {
    return successResponse(request, kvTableBody(await buildRuntimeInfo(this.deps.runtimeSource())));
  }

  private getBrokerConfig(request: RemotingCommand): RemotingCommand {
    const text = brokerConfigToProperties({ broker: this.deps.config(), store: this.deps.storeConfig, unknownKeys: [], ignoredKeys: [] });
    const header = GetBrokerConfigResponseHeader.encode({ version: toFastjsonString(this.deps.configVersion.current) });
    return successResponse(request, Buffer.from(text, 'utf8'), header);
  }

  private async updateBrokerConfig(ctx: RequestContext, request: RemotingCommand): Promise<RemotingCommand> {
    const current = this.deps.config();
    const update = applyBrokerConfigUpdate(current, request.body);
    if (!update.ok) return errorResponse(request, update.code, update.remark);
    if (update.changed.size === 0) return successResponse(request);
    this.deps.replaceConfig(update.config);
    this.deps.configVersion.next();
    this.deps.log.info({ changed: Object.fromEntries(update.changed), caller: ctx.channel.remoteAddress }, 'broker config updated by admin');
    if (update.changed.has('brokerPermission') && update.config.brokerPermission !== current.brokerPermission) {
      this.deps.bumpTopicDataVersion();
      await this.deps.registerBrokerAll().catch((err: unknown) => this.deps.log.warn({ err }, 'registration after brokerPermission change failed'));
    }
    return successResponse(request);
  }

  private viewBrokerStatsData(request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(ViewBrokerStatsDataRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const { statsName, statsKey } = decoded.header;
    const item = this.deps.stats.statsItem(statsName, statsKey);
    if (item === undefined) return errorResponse(request, ResponseCode.SYSTEM_ERROR, `The stats <${statsName}> <${statsKey}> not exist`);
    return successResponse(request, brokerStatsDataBody({ statsMinute: item.statsInMinute, statsHour: item.statsInHour, statsDay: item.statsInDay }));
  }
}
