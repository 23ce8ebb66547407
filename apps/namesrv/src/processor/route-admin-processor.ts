// Operator changes to routes and NameServer settings: WIPE_WRITE_PERM_OF_BROKER (205),
// ADD_WRITE_PERM_OF_BROKER (327), DELETE_TOPIC_IN_NAMESRV (216), REGISTER_TOPIC_IN_NAMESRV (217),
// UPDATE_NAMESRV_CONFIG (318), GET_NAMESRV_CONFIG (319).

import { parseJavaProperties } from '@apogee/common';
import {
  AddWritePermOfBrokerRequestHeader, DeleteTopicFromNamesrvRequestHeader, RegisterTopicRequestHeader,
  RequestCode, ResponseCode, WipeWritePermOfBrokerRequestHeader,
  decodeRequestHeader, errorResponse, parseLenientJson, successResponse,
  type RemotingCommand, type RequestContext, type RequestProcessor,
} from '@apogee/remoting';
import type { RouteInfoManager } from '../route/route-info-manager.js';
import type { QueueData } from '@apogee/remoting';

/** Keys that UPDATE_NAMESRV_CONFIG may never change (RocketMQ's configBlackList default). */
export const NAMESRV_CONFIG_BLACKLIST = new Set(['configBlackList', 'configStorePath', 'kvConfigPath', 'rocketmqHome', 'listenPort', 'listenAddress']);

export interface NamesrvConfigAccess {
  /** current config as properties text */
  toProperties(): string;
  /** apply changed keys; returns an error text for an unknown key or a bad value */
  update(values: Map<string, string>): string | undefined;
}

export class RouteAdminProcessor implements RequestProcessor {
  constructor(
    private readonly routes: RouteInfoManager,
    private readonly config: NamesrvConfigAccess,
  ) {}

  process(_ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.WIPE_WRITE_PERM_OF_BROKER: {
        const d = decodeRequestHeader(WipeWritePermOfBrokerRequestHeader, request);
        if (!d.ok) return d.response;
        const count = this.routes.setWritePermOfBroker(d.header.brokerName, false);
        return successResponse(request, undefined, { wipeTopicCount: String(count) });
      }
      case RequestCode.ADD_WRITE_PERM_OF_BROKER: {
        const d = decodeRequestHeader(AddWritePermOfBrokerRequestHeader, request);
        if (!d.ok) return d.response;
        const count = this.routes.setWritePermOfBroker(d.header.brokerName, true);
        return successResponse(request, undefined, { addTopicCount: String(count) });
      }
      case RequestCode.DELETE_TOPIC_IN_NAMESRV: {
        const d = decodeRequestHeader(DeleteTopicFromNamesrvRequestHeader, request);
        if (!d.ok) return d.response;
        this.routes.deleteTopic(d.header.topic, d.header.clusterName);
        return successResponse(request);
      }
      case RequestCode.REGISTER_TOPIC_IN_NAMESRV: return this.registerTopic(request);
      case RequestCode.GET_NAMESRV_CONFIG: return successResponse(request, Buffer.from(this.config.toProperties()));
      case RequestCode.UPDATE_NAMESRV_CONFIG: return this.updateConfig(request);
      default: return errorResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, ` request type ${request.code} not supported`);
    }
  }

  private registerTopic(request: RemotingCommand): RemotingCommand {
    const d = decodeRequestHeader(RegisterTopicRequestHeader, request);
    if (!d.ok) return d.response;
    const parsed = parseLenientJson(request.body?.toString('utf8') ?? '');
    const queueDatas = parsed.ok ? (parsed.value as { queueDatas?: unknown }).queueDatas : undefined;
    if (!Array.isArray(queueDatas)) return errorResponse(request, ResponseCode.SYSTEM_ERROR, `register topic ${d.header.topic}: body has no queueDatas`);
    const valid: QueueData[] = [];
    for (const q of queueDatas as Array<Record<string, unknown>>) {
      if (typeof q?.['brokerName'] !== 'string') return errorResponse(request, ResponseCode.SYSTEM_ERROR, `register topic ${d.header.topic}: queue data without brokerName`);
      const n = (k: string, dflt: number): number => (typeof q[k] === 'number' ? (q[k] as number) : dflt);
      valid.push({ brokerName: q['brokerName'], readQueueNums: n('readQueueNums', 0), writeQueueNums: n('writeQueueNums', 0), perm: n('perm', 6), topicSysFlag: n('topicSysFlag', n('topicSynFlag', 0)) });
    }
    this.routes.registerTopic(d.header.topic, valid);
    return successResponse(request);
  }

  private updateConfig(request: RemotingCommand): RemotingCommand {
    const text = request.body?.toString('utf8') ?? '';
    const values = parseJavaProperties(text);
    for (const key of values.keys()) {
      if (NAMESRV_CONFIG_BLACKLIST.has(key)) return errorResponse(request, ResponseCode.NO_PERMISSION, `config key ${key} cannot be changed at run time`);
    }
    const error = this.config.update(values);
    return error === undefined ? successResponse(request) : errorResponse(request, ResponseCode.SYSTEM_ERROR, error);
  }
}
