// TopicConfig values. A TopicConfig built without counts has 16 read / 16 write queues and
// perm 6, Java's defaults. Entries in the broker's table are frozen; a change replaces them.
// The topics.json form is the store package's topicConfigCodec.

import { PermName } from '@apogee/common';
import type { TopicConfig } from '@apogee/remoting';

export const TOPIC_QUEUE_NUMS_DEFAULT = 16;
export const TOPIC_PERM_DEFAULT = PermName.PERM_READ | PermName.PERM_WRITE;

/** A frozen TopicConfig with Java's defaults for what `fields` leaves out. */
export function newTopicConfig(topicName: string, fields: Partial<Omit<TopicConfig, 'topicName'>> = {}): Readonly<TopicConfig> {
  return Object.freeze({
    topicName,
    readQueueNums: fields.readQueueNums ?? TOPIC_QUEUE_NUMS_DEFAULT,
    writeQueueNums: fields.writeQueueNums ?? TOPIC_QUEUE_NUMS_DEFAULT,
    perm: fields.perm ?? TOPIC_PERM_DEFAULT,
    topicFilterType: fields.topicFilterType ?? 'SINGLE_TAG',
    topicSysFlag: fields.topicSysFlag ?? 0,
    order: fields.order ?? false,
    attributes: Object.freeze({ ...(fields.attributes ?? {}) }),
  });
}

export function topicConfigEquals(a: TopicConfig, b: TopicConfig): boolean {
  return (
    a.topicName === b.topicName && a.readQueueNums === b.readQueueNums && a.writeQueueNums === b.writeQueueNums &&
    a.perm === b.perm && a.topicFilterType === b.topicFilterType && a.topicSysFlag === b.topicSysFlag &&
    a.order === b.order && JSON.stringify(a.attributes) === JSON.stringify(b.attributes)
  );
}
