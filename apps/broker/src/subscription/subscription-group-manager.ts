// Consumer groups' broker-side settings (RocketMQ's SubscriptionGroupManager): the built-in
// groups at start-up, subscriptionGroup.json on top (the store package's ConfigFile +
// subscriptionGroupCodec), auto-creation on first use when autoCreateSubscriptionGroup is on
// (always for CID_RMQ_SYS_* groups), every change persisted.

import { type Clock, type Logger, CID_SYS_RMQ_TRANS, FILTERSRV_CONSUMER_GROUP, SELF_TEST_CONSUMER_GROUP, TOOLS_CONSUMER_GROUP, isSysConsumerGroup, validateGroup } from '@apogee/common';
import type { DataVersion } from '@apogee/remoting';
import type { BrokerConfig } from '../config/broker-config.js';
import { SUBSCRIPTION_GROUPS_MAX } from '../limits.js';
import { ConfigFile, type SubscriptionGroupTable, subscriptionGroupCodec } from '@apogee/store';
import { DataVersionCounter } from '../persist/data-version.js';
import { type SubscriptionGroupConfig, newSubscriptionGroupConfig } from './subscription-group-config.js';

/** Groups RocketMQ creates at start-up; the ONS/ONSAPI ones allow broadcasting explicitly. */
const BUILT_IN_GROUPS: readonly string[] = [
  TOOLS_CONSUMER_GROUP, FILTERSRV_CONSUMER_GROUP, SELF_TEST_CONSUMER_GROUP,
  'CID_ONS-HTTP-PROXY', 'CID_ONSAPI_PULL', 'CID_ONSAPI_PERMISSION', 'CID_ONSAPI_OWNER', CID_SYS_RMQ_TRANS,
];

export interface SubscriptionGroupManagerOptions {
  readonly broker: BrokerConfig;
  /** <storePathRootDir>/config/subscriptionGroup.json */
  readonly path: string;
  readonly clock: Clock;
  readonly log: Logger;
}

export class SubscriptionGroupManager {
  private readonly table = new Map<string, Readonly<SubscriptionGroupConfig>>();
  /** group → topic → forbidden bits (kept as read; Apogee does not set any yet) */
  private forbiddenTable = new Map<string, Map<string, number>>();
  private readonly version: DataVersionCounter;
  private readonly file: ConfigFile<SubscriptionGroupTable>;
  private readonly broker: BrokerConfig;
  private readonly log: Logger;

  constructor(options: SubscriptionGroupManagerOptions) {
    this.broker = options.broker;
    this.log = options.log;
    this.version = new DataVersionCounter(options.clock);
    this.file = new ConfigFile(options.path, subscriptionGroupCodec, options.log);
    for (const group of BUILT_IN_GROUPS) this.table.set(group, newSubscriptionGroupConfig(group));
  }

  async load(): Promise<void> {
    const loaded = await this.file.load();
    if (loaded === undefined) return;
    for (const [name, config] of loaded.subscriptionGroupTable) this.table.set(name, newSubscriptionGroupConfig(name, config));
    this.forbiddenTable = loaded.forbiddenTable;
    this.version.assign(loaded.dataVersion);
    this.log.info({ groups: this.table.size, path: this.file.filePath }, 'subscription groups loaded');
  }

  get dataVersion(): DataVersion {
    return this.version.current;
  }

  get size(): number {
    return this.table.size;
  }

  /** The live table, read-only. */
  get subscriptionGroupTable(): ReadonlyMap<string, Readonly<SubscriptionGroupConfig>> {
    return this.table;
  }

  containsSubscriptionGroup(group: string): boolean {
    return this.table.has(group);
  }

  /** The group's config without creating it. */
  selectSubscriptionGroupConfig(group: string): Readonly<SubscriptionGroupConfig> | undefined {
    return this.table.get(group);
  }

  /**
   * The group's config, created with defaults when missing and creatable (autoCreateSubscriptionGroup,
   * or a CID_RMQ_SYS_ group, and a valid name). Undefined when the group does not exist and may not be created.
   */
  findSubscriptionGroupConfig(group: string): Readonly<SubscriptionGroupConfig> | undefined {
    const existing = this.table.get(group);
    if (existing !== undefined) return existing;
    if (!this.broker.autoCreateSubscriptionGroup && !isSysConsumerGroup(group)) return undefined;
    const validation = validateGroup(group);
    if (!validation.ok) {
      this.log.warn({ group, reason: validation.reason }, 'subscription group not created: invalid name');
      return undefined;
    }
    if (this.table.size >= SUBSCRIPTION_GROUPS_MAX) {
      this.log.warn({ group, limit: SUBSCRIPTION_GROUPS_MAX }, 'subscription group not created: table is full');
      return undefined;
    }
    const config = newSubscriptionGroupConfig(group);
    this.table.set(group, config);
    this.log.info({ group }, 'subscription group auto-created');
    this.changed();
    return config;
  }

  /** Create or replace (UPDATE_AND_CREATE_SUBSCRIPTIONGROUP). A reason when refused. */
  updateSubscriptionGroupConfig(config: SubscriptionGroupConfig): Readonly<SubscriptionGroupConfig> | string {
    const validation = validateGroup(config.groupName);
    if (!validation.ok) return validation.reason;
    if (!this.table.has(config.groupName) && this.table.size >= SUBSCRIPTION_GROUPS_MAX) {
      return `the broker already holds ${SUBSCRIPTION_GROUPS_MAX} subscription groups`;
    }
    const next = newSubscriptionGroupConfig(config.groupName, config);
    this.table.set(next.groupName, next);
    this.log.info({ group: next.groupName }, 'subscription group updated');
    this.changed();
    return next;
  }

  /** Stops a group from consuming (consumeEnable=false); false when the group does not exist. */
  disableConsume(group: string): boolean {
    const existing = this.table.get(group);
    if (existing === undefined) return false;
    this.table.set(group, newSubscriptionGroupConfig(group, { ...existing, consumeEnable: false }));
    this.changed();
    return true;
  }

  deleteSubscriptionGroupConfig(group: string): boolean {
    if (!this.table.delete(group)) return false;
    this.forbiddenTable.delete(group);
    this.log.info({ group }, 'subscription group deleted');
    this.changed();
    return true;
  }

  /** Write subscriptionGroup.json now and wait for it (shutdown, tests). */
  flush(): Promise<void> {
    return this.file.persist(this.snapshot());
  }

  private snapshot(): SubscriptionGroupTable {
    return { dataVersion: this.version.current, subscriptionGroupTable: new Map(this.table), forbiddenTable: new Map(this.forbiddenTable) };
  }

  private changed(): void {
    this.version.next();
    // ConfigFile logs a failed write; the next change or flush() writes the whole table again.
    this.file.persist(this.snapshot()).catch(() => undefined);
  }
}
