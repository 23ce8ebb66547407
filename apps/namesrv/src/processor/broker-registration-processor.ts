// REGISTER_BROKER (103), UNREGISTER_BROKER (104), QUERY_DATA_VERSION (322), BROKER_HEARTBEAT (904).

import { crc32Masked } from '@apogee/common';
import {
  BrokerHeartbeatRequestHeader, QueryDataVersionRequestHeader, RegisterBrokerRequestHeader,
  RegisterBrokerResponseHeader, RequestCode, ResponseCode, UnRegisterBrokerRequestHeader,
  decodeRequestHeader, errorResponse, parseLenientJson, successResponse,
  type RemotingCommand, type RequestContext, type RequestProcessor,
} from '@apogee/remoting';
import { decodeRegisterBrokerBody, readDataVersion } from '@apogee/remoting';
import type { RouteInfoManager } from '../route/route-info-manager.js';
import type { KvConfigManager } from '../kv/kv-config-manager.js';
import { kvTableToJson, ORDER_TOPIC_CONFIG_NAMESPACE } from '../kv/kv-table-json.js';

export class BrokerRegistrationProcessor implements RequestProcessor {
  constructor(
    private readonly routes: RouteInfoManager,
    private readonly kv: KvConfigManager,
    private readonly options: () => { returnOrderTopicConfigToBroker: boolean },
  ) {}

  process(ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.REGISTER_BROKER: return this.register(ctx, request);
      case RequestCode.UNREGISTER_BROKER: return this.unregister(request);
      case RequestCode.QUERY_DATA_VERSION: return this.queryDataVersion(request);
      case RequestCode.BROKER_HEARTBEAT: return this.heartbeat(request);
      default: return errorResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, ` request type ${request.code} not supported`);
    }
  }

  private register(ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(RegisterBrokerRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const h = decoded.header;
    if (h.bodyCrc32 !== 0 && request.body !== undefined && crc32Masked(request.body) !== h.bodyCrc32) {
      return errorResponse(request, ResponseCode.SYSTEM_ERROR, `crc32 not match: register body of ${h.brokerName} at ${h.brokerAddr} is damaged`);
    }
    const body = decodeRegisterBrokerBody(request.body, h.compressed);
    if (!body.ok) return errorResponse(request, ResponseCode.SYSTEM_ERROR, `register broker ${h.brokerName} failed: ${body.reason}`);
    const result = this.routes.registerBroker({
      clusterName: h.clusterName,
      brokerAddr: h.brokerAddr,
      brokerName: h.brokerName,
      brokerId: h.brokerId,
      haServerAddr: h.haServerAddr,
      ...(h.__ZONE_NAME !== undefined && { zoneName: h.__ZONE_NAME }),
      ...(h.heartbeatTimeoutMillis !== undefined && { heartbeatTimeoutMs: h.heartbeatTimeoutMillis }),
      ...(h.enableActingMaster !== undefined && { enableActingMaster: h.enableActingMaster }),
      topicConfigs: { dataVersion: body.body.dataVersion, topicConfigTable: body.body.topicConfigTable },
      filterServerList: body.body.filterServerList,
      channelId: ctx.channel.id,
    });
    if ('error' in result) return errorResponse(request, ResponseCode.SYSTEM_ERROR, `register broker failed: ${result.error}`);
    const ext = RegisterBrokerResponseHeader.encode(result);
    const orderConf = this.options().returnOrderTopicConfigToBroker ? this.kv.list(ORDER_TOPIC_CONFIG_NAMESPACE) : undefined;
    return successResponse(request, orderConf === undefined ? undefined : Buffer.from(kvTableToJson(orderConf)), ext);
  }

  private unregister(request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(UnRegisterBrokerRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const h = decoded.header;
    this.routes.unregisterBroker(h.clusterName, h.brokerAddr, h.brokerName, h.brokerId);
    return successResponse(request);
  }

  private queryDataVersion(request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(QueryDataVersionRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const h = decoded.header;
    const text = request.body?.toString('utf8');
    const parsed = text === undefined ? undefined : parseLenientJson(text);
    const theirs = readDataVersion(parsed?.ok === true ? parsed.value : undefined);
    const changed = this.routes.isBrokerTopicConfigChanged(h.clusterName, h.brokerAddr, theirs);
    this.routes.touchBroker(h.clusterName, h.brokerAddr);
    const ours = this.routes.queryBrokerDataVersion(h.clusterName, h.brokerAddr);
    const body = ours === undefined ? undefined : Buffer.from(JSON.stringify({ counter: ours.counter, stateVersion: ours.stateVersion, timestamp: ours.timestamp }));
    return successResponse(request, body, { changed: String(changed) });
  }

  private heartbeat(request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(BrokerHeartbeatRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    this.routes.touchBroker(decoded.header.clusterName, decoded.header.brokerAddr);
    return successResponse(request);
  }
}
