// Read-only route questions from clients and tools: GET_ROUTEINFO_BY_TOPIC (105),
// GET_BROKER_CLUSTER_INFO (106), GET_ALL_TOPIC_LIST_FROM_NAMESERVER (206), GET_TOPICS_BY_CLUSTER
// (224), GET_SYSTEM_TOPIC_LIST_FROM_NS (304), unit topic lists (311-313).

import {
  GetRouteInfoRequestHeader, GetTopicsByClusterRequestHeader, RequestCode, ResponseCode,
  decodeRequestHeader, errorResponse, successResponse,
  type RemotingCommand, type RequestProcessor, type RequestContext,
} from '@apogee/remoting';
import type { RouteInfoManager } from '../route/route-info-manager.js';
import type { KvConfigManager } from '../kv/kv-config-manager.js';
import { ORDER_TOPIC_CONFIG_NAMESPACE } from '../kv/kv-table-json.js';
import { clusterInfoToJson, topicListToJson, topicRouteDataToJson } from '@apogee/remoting';

/** MQVersion V4_9_4: clients from this version on get standard JSON route bodies. */
const STANDARD_JSON_VERSION_MIN = 401;

export interface RouteQueryOptions {
  orderMessageEnable: boolean;
  enableAllTopicList: boolean;
  enableTopicList: boolean;
}

export class RouteQueryProcessor implements RequestProcessor {
  constructor(
    private readonly routes: RouteInfoManager,
    private readonly kv: KvConfigManager,
    private readonly options: () => RouteQueryOptions,
  ) {}

  process(_ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.GET_ROUTEINFO_BY_TOPIC: return this.routeByTopic(request);
      case RequestCode.GET_BROKER_CLUSTER_INFO:
        return successResponse(request, Buffer.from(clusterInfoToJson(this.routes.getAllClusterInfo(), { standardJson: false })));
      case RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER:
        if (!this.options().enableAllTopicList) return errorResponse(request, ResponseCode.SYSTEM_ERROR, 'disable');
        return successResponse(request, Buffer.from(topicListToJson(this.routes.getAllTopicList())));
      case RequestCode.GET_TOPICS_BY_CLUSTER: return this.topicsByCluster(request);
      case RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS: {
        const list = this.routes.getSystemTopicList();
        return successResponse(request, Buffer.from(topicListToJson(list.topicList, list.brokerAddr)));
      }
      case RequestCode.GET_UNIT_TOPIC_LIST: return this.topicList(request, this.routes.getTopicsBySysFlag('unit'));
      case RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST: return this.topicList(request, this.routes.getTopicsBySysFlag('unitSub'));
      case RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST: return this.topicList(request, this.routes.getTopicsBySysFlag('unitSubNotUnit'));
      default: return errorResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, ` request type ${request.code} not supported`);
    }
  }

  private routeByTopic(request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(GetRouteInfoRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const { topic, acceptStandardJsonOnly } = decoded.header;
    const route = this.routes.pickupTopicRouteData(topic);
    if (route === undefined) {
      return errorResponse(request, ResponseCode.TOPIC_NOT_EXIST, `No topic route info in name server for the topic: ${topic}`);
    }
    if (this.options().orderMessageEnable) {
      const conf = this.kv.get(ORDER_TOPIC_CONFIG_NAMESPACE, topic);
      if (conf !== undefined) route.orderTopicConf = conf;
    }
    const standardJson = acceptStandardJsonOnly === true || request.version >= STANDARD_JSON_VERSION_MIN;
    return successResponse(request, Buffer.from(topicRouteDataToJson(route, { standardJson })));
  }

  private topicsByCluster(request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(GetTopicsByClusterRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    return this.topicList(request, this.routes.getTopicsByCluster(decoded.header.cluster));
  }

  private topicList(request: RemotingCommand, topics: string[]): RemotingCommand {
    if (!this.options().enableTopicList) return errorResponse(request, ResponseCode.SYSTEM_ERROR, 'disable');
    return successResponse(request, Buffer.from(topicListToJson(topics)));
  }
}
