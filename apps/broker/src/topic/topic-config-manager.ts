// The broker's topic table: system topics at start-up, then topics.json on top (the store
// package's ConfigFile + topicConfigCodec: atomic writes, .bak fallback), every change persisted
// and announced to the change listeners, which re-register the broker with the NameServers at
// once. Entries are frozen; a change replaces the entry.
//
// Creation paths (RocketMQ's TopicConfigManager):
//   createTopicInSendMessageMethod      send to an unknown topic, from a template (TBW102) with INHERIT
//   createTopicInSendMessageBackMethod  %RETRY%/%DLQ% topics (heartbeat, send-back)
//   createTopicOfTranCheckMaxTime       TRANS_CHECK_MAX_TIME_TOPIC
//   createTopicIfAbsent / updateTopicConfig / deleteTopicConfig   admin

import { type Clock, type Logger, PermName, TopicValidator } from '@apogee/common';
import type { DataVersion, TopicConfig } from '@apogee/remoting';
import type { BrokerConfig } from '../config/broker-config.js';
import { TOPIC_CONFIGS_MAX, TOPIC_QUEUE_NUMS_MAX } from '../limits.js';
import { ConfigFile, type TopicConfigTable, topicConfigCodec } from '@apogee/store';
import { DataVersionCounter } from '../persist/data-version.js';
import { systemTopicConfigs } from './system-topics.js';
import { newTopicConfig, topicConfigEquals } from './topic-config.js';

export type TopicChangeKind = 'create' | 'update' | 'delete';

/** Called after the table changed (and a persist was scheduled); `topic` is the new or deleted entry. */
export type TopicChangeListener = (kind: TopicChangeKind, topic: Readonly<TopicConfig>) => void;

export interface TopicConfigManagerOptions {
  readonly broker: BrokerConfig;
  /** <storePathRootDir>/config/topics.json */
  readonly path: string;
  readonly clock: Clock;
  readonly log: Logger;
}

export class TopicConfigManager {
  private readonly table = new Map<string, Readonly<TopicConfig>>();
  private readonly version: DataVersionCounter;
  private readonly file: ConfigFile<TopicConfigTable>;
  private readonly listeners: TopicChangeListener[] = [];
  private readonly broker: BrokerConfig;
  private readonly log: Logger;

  constructor(options: TopicConfigManagerOptions) {
    this.broker = options.broker;
    this.log = options.log;
    this.version = new DataVersionCounter(options.clock);
    this.file = new ConfigFile(options.path, topicConfigCodec, options.log);
    for (const config of systemTopicConfigs(this.broker)) this.table.set(config.topicName, config);
  }

  /** Reads topics.json (or its .bak) over the system topics. */
  async load(): Promise<void> {
    const loaded = await this.file.load();
    if (loaded === undefined) return;
    for (const [name, config] of loaded.topicConfigTable) this.table.set(name, newTopicConfig(name, config));
    this.version.assign(loaded.dataVersion);
    this.log.info({ topics: this.table.size, path: this.file.filePath }, 'topic configs loaded');
  }

  onChange(listener: TopicChangeListener): void {
    this.listeners.push(listener);
  }

  get dataVersion(): DataVersion {
    return this.version.current;
  }

  /**
   * Moves the data version on without changing a topic, so that the NameServer takes the topic
   * table again at the next registration (RocketMQ does this when brokerPermission changes: the
   * registered perms are masked by it).
   */
  bumpDataVersion(): DataVersion {
    return this.version.next();
  }

  get size(): number {
    return this.table.size;
  }

  selectTopicConfig(topic: string): Readonly<TopicConfig> | undefined {
    return this.table.get(topic);
  }

  containsTopic(topic: string): boolean {
    return this.table.has(topic);
  }

  isOrderTopic(topic: string): boolean {
    return this.table.get(topic)?.order === true;
  }

  /** The live table, read-only (iterate, do not keep across awaits). */
  get topicConfigTable(): ReadonlyMap<string, Readonly<TopicConfig>> {
    return this.table;
  }

  /**
   * SEND to a topic the broker does not know (reference §3.2.1 step 2): a new topic from the
   * template `defaultTopic` when it exists and carries INHERIT; queues = min(client's count,
   * template's write queues), perm = template perm without INHERIT. Undefined when not creatable.
   */
  createTopicInSendMessageMethod(
    topic: string,
    defaultTopic: string,
    remoteAddress: string,
    clientDefaultTopicQueueNums: number,
    topicSysFlag: number,
  ): Readonly<TopicConfig> | undefined {
    const existing = this.table.get(topic);
    if (existing !== undefined) return existing;
    let template = this.table.get(defaultTopic);
    if (template === undefined) {
      this.log.warn({ topic, defaultTopic, producer: remoteAddress }, 'topic not created: the default topic does not exist');
      return undefined;
    }
    if (defaultTopic === TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC && !this.broker.autoCreateTopicEnable && PermName.isInherited(template.perm)) {
      // autoCreateTopicEnable was turned off after TBW102 was persisted: it stops being a template.
      template = newTopicConfig(template.topicName, { ...template, perm: PermName.PERM_READ | PermName.PERM_WRITE });
      this.table.set(template.topicName, template);
    }
    if (!PermName.isInherited(template.perm)) {
      this.log.warn({ topic, defaultTopic, perm: template.perm, producer: remoteAddress }, 'topic not created: the default topic has no INHERIT permission');
      return undefined;
    }
    const queueNums = Math.max(0, Math.min(clientDefaultTopicQueueNums, template.writeQueueNums));
    const config = newTopicConfig(topic, {
      readQueueNums: queueNums,
      writeQueueNums: queueNums,
      perm: template.perm & ~PermName.PERM_INHERIT,
      topicSysFlag,
      topicFilterType: template.topicFilterType,
    });
    return this.insert(config, 'auto-created from the default topic', { defaultTopic, producer: remoteAddress });
  }

  /** %RETRY%<group> and %DLQ%<group> topics; an existing topic only gets its order flag aligned. */
  createTopicInSendMessageBackMethod(topic: string, queueNums: number, perm: number, isOrder: boolean, topicSysFlag: number): Readonly<TopicConfig> | undefined {
    const existing = this.table.get(topic);
    if (existing !== undefined) {
      if (existing.order === isOrder) return existing;
      return this.replace(newTopicConfig(topic, { ...existing, order: isOrder }));
    }
    return this.insert(newTopicConfig(topic, { readQueueNums: queueNums, writeQueueNums: queueNums, perm, topicSysFlag, order: isOrder }), 'created for retry/DLQ');
  }

  createTopicOfTranCheckMaxTime(queueNums: number, perm: number): Readonly<TopicConfig> | undefined {
    const topic = TopicValidator.RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC;
    return this.table.get(topic) ?? this.insert(newTopicConfig(topic, { readQueueNums: queueNums, writeQueueNums: queueNums, perm }), 'created for discarded half messages');
  }

  /** Admin creation; an existing entry is returned unchanged. */
  createTopicIfAbsent(config: TopicConfig): Readonly<TopicConfig> | undefined {
    return this.table.get(config.topicName) ?? this.insert(newTopicConfig(config.topicName, config), 'created');
  }

  /** Create or replace (UPDATE_AND_CREATE_TOPIC). Returns the stored entry, or a reason. */
  updateTopicConfig(config: TopicConfig): Readonly<TopicConfig> | string {
    const problem = checkQueueNums(config);
    if (problem !== undefined) return problem;
    const next = newTopicConfig(config.topicName, config);
    const existing = this.table.get(config.topicName);
    if (existing !== undefined && topicConfigEquals(existing, next)) return existing;
    if (existing === undefined) return this.insert(next, 'created') ?? `the broker already holds ${TOPIC_CONFIGS_MAX} topics`;
    return this.replace(next);
  }

  /** Removes a topic's config; false when it did not exist. */
  deleteTopicConfig(topic: string): boolean {
    const existing = this.table.get(topic);
    if (existing === undefined) return false;
    this.table.delete(topic);
    this.log.info({ topic }, 'topic config deleted');
    this.changed('delete', existing);
    return true;
  }

  /** Write topics.json now and wait for it (shutdown, tests). */
  flush(): Promise<void> {
    return this.file.persist(this.snapshot());
  }

  private snapshot(): TopicConfigTable {
    return { dataVersion: this.version.current, topicConfigTable: new Map(this.table) };
  }

  private insert(config: Readonly<TopicConfig>, why: string, context: Record<string, unknown> = {}): Readonly<TopicConfig> | undefined {
    if (this.table.size >= TOPIC_CONFIGS_MAX) {
      this.log.warn({ topic: config.topicName, limit: TOPIC_CONFIGS_MAX }, 'topic not created: topic table is full');
      return undefined;
    }
    this.table.set(config.topicName, config);
    this.log.info({ ...context, topic: config.topicName, queues: config.writeQueueNums, perm: config.perm }, `topic ${why}`);
    this.changed('create', config);
    return config;
  }

  private replace(config: Readonly<TopicConfig>): Readonly<TopicConfig> {
    this.table.set(config.topicName, config);
    this.log.info({ topic: config.topicName, queues: config.writeQueueNums, perm: config.perm }, 'topic config updated');
    this.changed('update', config);
    return config;
  }

  private changed(kind: TopicChangeKind, config: Readonly<TopicConfig>): void {
    this.version.next();
    // ConfigFile logs a failed write; the next change or flush() writes the whole table again.
    this.file.persist(this.snapshot()).catch(() => undefined);
    for (const listener of this.listeners) {
      try {
        listener(kind, config);
      } catch (err) {
        this.log.error({ err, topic: config.topicName }, 'topic change listener failed');
      }
    }
  }
}

function checkQueueNums(config: TopicConfig): string | undefined {
  for (const key of ['readQueueNums', 'writeQueueNums'] as const) {
    const n = config[key];
    if (!Number.isInteger(n) || n < 0 || n > TOPIC_QUEUE_NUMS_MAX) return `${key} ${n} of topic ${config.topicName} is not in 0..${TOPIC_QUEUE_NUMS_MAX}`;
  }
  if (!PermName.isValid(config.perm)) return `perm ${config.perm} of topic ${config.topicName} is not in 0..7`;
  return undefined;
}
