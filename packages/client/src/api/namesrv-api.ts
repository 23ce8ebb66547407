// NameServer requests (reference §3.1.4, §3.1.5): GET_ROUTEINFO_BY_TOPIC (105),
// GET_BROKER_CLUSTER_INFO (106), GET_ALL_TOPIC_LIST_FROM_NAMESERVER (206), GET_TOPICS_BY_CLUSTER
// (224), DELETE_TOPIC_IN_NAMESRV (216), KV config (100, 101, 102). Bodies are read leniently (route
// data from old NameServers has unquoted numeric keys).

import {
  type ClusterInfo, type TopicRouteData, DeleteKVConfigRequestHeader, DeleteTopicFromNamesrvRequestHeader,
  GetKVConfigRequestHeader, GetKVConfigResponseHeader, GetRouteInfoRequestHeader, GetTopicsByClusterRequestHeader,
  PutKVConfigRequestHeader, RequestCode, ResponseCode, createRequestCommand, parseClusterInfo, parseTopicRouteData,
} from '@apogee/remoting';
import { MalformedResponseError } from '../errors.js';
import { parseTopicList } from './admin-bodies.js';
import { ClientRemoting, readHeader } from './client-remoting.js';

const KV_FOUND_OR_NOT: ReadonlySet<number> = new Set([ResponseCode.SUCCESS, ResponseCode.QUERY_NOT_FOUND]);

/** The route of `topic`. A topic the NameServer does not know rejects with MQBrokerError TOPIC_NOT_EXIST (17). */
export async function getTopicRouteInfo(remoting: ClientRemoting, topic: string, timeoutMs?: number): Promise<TopicRouteData> {
  const request = ClientRemoting.request(RequestCode.GET_ROUTEINFO_BY_TOPIC, GetRouteInfoRequestHeader, { topic });
  const response = await remoting.invokeNamesrv(request, timeoutMs);
  const route = parseTopicRouteData(response.body);
  if (!route.ok) throw new MalformedResponseError(remoting.currentNamesrvAddr ?? '', RequestCode.GET_ROUTEINFO_BY_TOPIC, route.reason);
  return route.value;
}

export async function getBrokerClusterInfo(remoting: ClientRemoting, timeoutMs?: number): Promise<ClusterInfo> {
  const response = await remoting.invokeNamesrv(createRequestCommand(RequestCode.GET_BROKER_CLUSTER_INFO), timeoutMs);
  const info = parseClusterInfo(response.body);
  if (!info.ok) throw new MalformedResponseError(remoting.currentNamesrvAddr ?? '', RequestCode.GET_BROKER_CLUSTER_INFO, info.reason);
  return info.value;
}

export async function getAllTopicListFromNameServer(remoting: ClientRemoting, timeoutMs?: number): Promise<string[]> {
  const response = await remoting.invokeNamesrv(createRequestCommand(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER), timeoutMs);
  return parseTopicList(response.body, remoting.currentNamesrvAddr ?? '', RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER);
}

export async function getTopicsByCluster(remoting: ClientRemoting, cluster: string, timeoutMs?: number): Promise<string[]> {
  const request = ClientRemoting.request(RequestCode.GET_TOPICS_BY_CLUSTER, GetTopicsByClusterRequestHeader, { cluster });
  const response = await remoting.invokeNamesrv(request, timeoutMs);
  return parseTopicList(response.body, remoting.currentNamesrvAddr ?? '', RequestCode.GET_TOPICS_BY_CLUSTER);
}

/** DELETE_TOPIC_IN_NAMESRV to one NameServer (admin deletes on every one). */
export async function deleteTopicInNameServer(remoting: ClientRemoting, namesrvAddr: string, topic: string, clusterName?: string, timeoutMs?: number): Promise<void> {
  const header = clusterName === undefined ? { topic } : { topic, clusterName };
  const request = ClientRemoting.request(RequestCode.DELETE_TOPIC_IN_NAMESRV, DeleteTopicFromNamesrvRequestHeader, header);
  await remoting.invokeExpect(namesrvAddr, request, timeoutMs);
}

export async function putKVConfig(remoting: ClientRemoting, namesrvAddr: string, namespace: string, key: string, value: string, timeoutMs?: number): Promise<void> {
  const request = ClientRemoting.request(RequestCode.PUT_KV_CONFIG, PutKVConfigRequestHeader, { namespace, key, value });
  await remoting.invokeExpect(namesrvAddr, request, timeoutMs);
}

/** The value, or undefined when the NameServer has none (QUERY_NOT_FOUND). */
export async function getKVConfig(remoting: ClientRemoting, namespace: string, key: string, timeoutMs?: number): Promise<string | undefined> {
  const request = ClientRemoting.request(RequestCode.GET_KV_CONFIG, GetKVConfigRequestHeader, { namespace, key });
  const response = await remoting.invokeNamesrv(request, timeoutMs, KV_FOUND_OR_NOT);
  if (response.code === ResponseCode.QUERY_NOT_FOUND) return undefined;
  return readHeader(GetKVConfigResponseHeader, response, remoting.currentNamesrvAddr ?? '', RequestCode.GET_KV_CONFIG).value;
}

export async function deleteKVConfig(remoting: ClientRemoting, namesrvAddr: string, namespace: string, key: string, timeoutMs?: number): Promise<void> {
  const request = ClientRemoting.request(RequestCode.DELETE_KV_CONFIG, DeleteKVConfigRequestHeader, { namespace, key });
  await remoting.invokeExpect(namesrvAddr, request, timeoutMs);
}
