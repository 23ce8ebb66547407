// Namespaces (RocketMQ NamespaceUtil): with a namespace N, topic T travels as "N%T" and group G as
// "N%G"; retry and DLQ topics keep their prefix in front ("%RETRY%N%G"). System topics and
// system groups are never wrapped. The application only ever sees names without the namespace.

import { DLQ_GROUP_TOPIC_PREFIX, RETRY_GROUP_TOPIC_PREFIX, isSysConsumerGroup, isSystemTopic } from '@apogee/common';

export const NAMESPACE_SEPARATOR = '%';

function isSystemResource(resource: string): boolean {
  return isSystemTopic(resource) || isSysConsumerGroup(resource);
}

function splitPrefix(resource: string): [prefix: string, rest: string] {
  if (resource.startsWith(RETRY_GROUP_TOPIC_PREFIX)) return [RETRY_GROUP_TOPIC_PREFIX, resource.slice(RETRY_GROUP_TOPIC_PREFIX.length)];
  if (resource.startsWith(DLQ_GROUP_TOPIC_PREFIX)) return [DLQ_GROUP_TOPIC_PREFIX, resource.slice(DLQ_GROUP_TOPIC_PREFIX.length)];
  return ['', resource];
}

/** `resource` inside `namespace` (unchanged without a namespace, for system names, or when already inside). */
export function wrapNamespace(namespace: string | undefined, resource: string): string {
  if (namespace === undefined || namespace === '' || resource === '' || isSystemResource(resource)) return resource;
  const [prefix, rest] = splitPrefix(resource);
  if (rest.startsWith(namespace + NAMESPACE_SEPARATOR)) return resource;
  return `${prefix}${namespace}${NAMESPACE_SEPARATOR}${rest}`;
}

/** `resource` with `namespace` taken off (unchanged when it is not inside that namespace). */
export function withoutNamespace(namespace: string | undefined, resource: string): string {
  if (namespace === undefined || namespace === '' || resource === '' || isSystemResource(resource)) return resource;
  const [prefix, rest] = splitPrefix(resource);
  const head = namespace + NAMESPACE_SEPARATOR;
  return rest.startsWith(head) ? prefix + rest.slice(head.length) : resource;
}
