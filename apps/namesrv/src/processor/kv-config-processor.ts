// PUT_KV_CONFIG (100), GET_KV_CONFIG (101), DELETE_KV_CONFIG (102), GET_KVLIST_BY_NAMESPACE (219).

import {
  DeleteKVConfigRequestHeader, GetKVConfigRequestHeader, GetKVListByNamespaceRequestHeader,
  PutKVConfigRequestHeader, RequestCode, ResponseCode,
  decodeRequestHeader, errorResponse, successResponse,
  type RemotingCommand, type RequestContext, type RequestProcessor,
} from '@apogee/remoting';
import type { KvConfigManager } from '../kv/kv-config-manager.js';
import { kvTableToJson } from '../kv/kv-table-json.js';

export class KvConfigProcessor implements RequestProcessor {
  constructor(private readonly kv: KvConfigManager) {}

  process(_ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.PUT_KV_CONFIG: {
        const d = decodeRequestHeader(PutKVConfigRequestHeader, request);
        if (!d.ok) return d.response;
        const error = this.kv.put(d.header.namespace, d.header.key, d.header.value);
        return error === undefined ? successResponse(request) : errorResponse(request, ResponseCode.SYSTEM_ERROR, error);
      }
      case RequestCode.GET_KV_CONFIG: {
        const d = decodeRequestHeader(GetKVConfigRequestHeader, request);
        if (!d.ok) return d.response;
        const value = this.kv.get(d.header.namespace, d.header.key);
        if (value === undefined) {
          return errorResponse(request, ResponseCode.QUERY_NOT_FOUND, `No config item, Namespace: ${d.header.namespace} Key: ${d.header.key}`);
        }
        return successResponse(request, undefined, { value });
      }
      case RequestCode.DELETE_KV_CONFIG: {
        const d = decodeRequestHeader(DeleteKVConfigRequestHeader, request);
        if (!d.ok) return d.response;
        this.kv.delete(d.header.namespace, d.header.key);
        return successResponse(request);
      }
      case RequestCode.GET_KVLIST_BY_NAMESPACE: {
        const d = decodeRequestHeader(GetKVListByNamespaceRequestHeader, request);
        if (!d.ok) return d.response;
        const entries = this.kv.list(d.header.namespace);
        if (entries === undefined) return errorResponse(request, ResponseCode.QUERY_NOT_FOUND, `No config item, Namespace: ${d.header.namespace}`);
        return successResponse(request, Buffer.from(kvTableToJson(entries)));
      }
      default:
        return errorResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, ` request type ${request.code} not supported`);
    }
  }
}
