// TopicConfig values an admin sends: mqadmin updateTopic's defaults (8 read / 8 write queues,
// perm 6) for what the caller leaves out.

import { PermName } from '@apogee/common';
import type { TopicConfig } from '@apogee/remoting';

export const ADMIN_TOPIC_QUEUE_NUMS_DEFAULT = 8;

export function newTopicConfig(topicName: string, fields: { readQueueNums?: number; writeQueueNums?: number; perm?: number; order?: boolean } = {}): TopicConfig {
  return {
    topicName,
    readQueueNums: fields.readQueueNums ?? ADMIN_TOPIC_QUEUE_NUMS_DEFAULT,
    writeQueueNums: fields.writeQueueNums ?? ADMIN_TOPIC_QUEUE_NUMS_DEFAULT,
    perm: fields.perm ?? (PermName.PERM_READ | PermName.PERM_WRITE),
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: fields.order ?? false,
    attributes: {},
  };
}
