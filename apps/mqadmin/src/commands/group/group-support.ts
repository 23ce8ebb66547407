// What the group, offset and connection commands share (the -b / -c targets are in
// ../broker-targets.ts): the checks RocketMQ makes on group names, MQVersion names of client versions, the connection table,
// RocketMQ's "yyyy-MM-dd HH:mm:ss" time and the sentences for a group or topic the cluster does
// not know.

import { MASTER_ID, RETRY_GROUP_TOPIC_PREFIX, validateGroup } from '@apogee/common';
import { type Connection, type DefaultMQAdminExt, MQBrokerError, MQClientError } from '@apogee/client';
import { ResponseCode } from '@apogee/remoting';
import type { OptionSpec } from '../../command.js';
import { CommandFailedError, UsageError, describeError } from '../../errors.js';
import type { CommandOptions } from '../../options.js';
import type { Table } from '../../output/table.js';

/** RocketMQ's broker refuses such names (TopicValidator.validateGroup); say so before asking it. */
export function checkGroupName(group: string): string {
  const valid = validateGroup(group);
  if (!valid.ok) throw new UsageError(valid.reason);
  return group;
}

/** The group a retry topic belongs to (`%RETRY%group`, or POP's `%RETRY%group+topic`), as KeyBuilder.parseGroup. */
export function groupOfRetryTopic(topic: string): string | undefined {
  if (!topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) return undefined;
  const rest = topic.slice(RETRY_GROUP_TOPIC_PREFIX.length);
  const plus = rest.indexOf('+');
  return plus >= 0 ? rest.slice(0, plus) : rest;
}

/** RocketMQ's MQVersion.Version names in ordinal order (V3_0_0_SNAPSHOT = 0 … V5_9_9 = 611, HIGHER_VERSION). */
const VERSION_NAMES: readonly string[] = (() => {
  const names = ['V3_0_0_SNAPSHOT', 'V3_0_0_ALPHA1', 'V3_0_0_BETA1', 'V3_0_0_BETA2', 'V3_0_0_BETA3', 'V3_0_0_BETA4', 'V3_0_0_BETA5'];
  for (let beta = 6; beta <= 9; beta++) names.push(`V3_0_0_BETA${beta}_SNAPSHOT`, `V3_0_0_BETA${beta}`);
  names.push('V3_0_0_FINAL');
  const release = (v: string): void => void names.push(`${v}_SNAPSHOT`, v);
  for (let patch = 1; patch <= 15; patch++) release(`V3_0_${patch}`);
  for (let minor = 1; minor <= 9; minor++) {
    for (let patch = minor <= 2 ? 0 : 1; patch <= 9; patch++) release(`V3_${minor}_${patch}`);
  }
  for (const major of [4, 5]) {
    for (let minor = 0; minor <= 9; minor++) for (let patch = 0; patch <= 9; patch++) release(`V${major}_${minor}_${patch}`);
  }
  names.push('HIGHER_VERSION');
  return names;
})();

/** MQVersion.getVersionDesc: the name of a client's version ordinal (V5_3_3 for 479). */
export function versionDesc(ordinal: number): string {
  if (!Number.isInteger(ordinal) || ordinal < 0) return String(ordinal);
  return VERSION_NAMES[Math.min(ordinal, VERSION_NAMES.length - 1)]!;
}

/** One connected client as the connection commands report it. */
export interface ConnectionRow {
  clientId: string;
  clientAddr: string;
  language: string;
  /** MQVersion ordinal */
  version: number;
  /** its name, e.g. V5_3_3 */
  versionDesc: string;
}

export function connectionRows(connections: readonly Connection[]): ConnectionRow[] {
  return connections.map((c) => ({ clientId: c.clientId, clientAddr: c.clientAddr, language: c.language, version: c.version, versionDesc: versionDesc(c.version) }));
}

/** #ClientId #ClientAddr #Language #Version; `numbered` puts RocketMQ's 0001, 0002… in front (producerConnection). */
export function connectionTable(rows: readonly ConnectionRow[], numbered = false): Table {
  const columns = [
    { header: '#ClientId', overflow: 'wrap' as const, widthMin: 20 }, { header: '#ClientAddr', overflow: 'wrap' as const, widthMin: 21 },
    { header: '#Language', widthMin: 6 }, { header: '#Version', widthMin: 8 },
  ];
  const cells = rows.map((r) => [r.clientId, r.clientAddr, r.language, r.versionDesc]);
  if (!numbered) return { columns, rows: cells };
  return { columns: [{ header: '#No', widthMin: 4 }, ...columns], rows: cells.map((row, i) => [String(i + 1).padStart(4, '0'), ...row]) };
}

/** UtilAll.YYYY_MM_DD_HH_MM_SS in local time; `N/A` for 0, as consumerProgress prints it. */
export function formatDateTime(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return 'N/A';
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A response or client error code carried by `err` (MQBrokerError.responseCode or MQClientError.clientErrorCode). */
export function errorCodeOf(err: unknown): number | undefined {
  if (err instanceof MQBrokerError) return err.responseCode;
  if (err instanceof MQClientError) return err.clientErrorCode;
  return undefined;
}

/**
 * Turns the errors a group lookup ends in into one sentence naming the group: the NameServer has no
 * route for its retry topic (and `topic`), it has no progress and nobody online, it consumes in
 * broadcast mode. Anything else is returned unchanged.
 */
export function explainGroupError(err: unknown, group: string, topic?: string): unknown {
  const on = topic === undefined ? '' : ` on topic ${topic}`;
  switch (errorCodeOf(err)) {
    case ResponseCode.TOPIC_NOT_EXIST: {
      const routes = topic === undefined ? `${RETRY_GROUP_TOPIC_PREFIX}${group} (it never had a consumer online)` : `either ${RETRY_GROUP_TOPIC_PREFIX}${group} or ${topic}`;
      return new CommandFailedError(`consumer group ${group} not found: the NameServer has no route for ${routes}`);
    }
    case ResponseCode.CONSUMER_NOT_ONLINE:
      // the admin's empty consume stats (MQClientError), or a broker asked for the group's clients
      return new CommandFailedError(err instanceof MQClientError ? `consumer group ${group} has no consume progress${on} and no consumer online` : `consumer group ${group} has no consumer online`);
    case ResponseCode.BROADCAST_CONSUMPTION:
      return new CommandFailedError(`consumer group ${group} consumes in broadcast mode: its consumers keep their offsets themselves`);
    case ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST:
      return new CommandFailedError(`consumer group ${group} does not exist on the broker (${describeError(err)})`);
    default:
      return err;
  }
}

/** An unknown topic (TOPIC_NOT_EXIST from the NameServer or a broker) as one sentence; other failures unchanged. */
export function explainTopicError(err: unknown, topic: string): unknown {
  if (errorCodeOf(err) !== ResponseCode.TOPIC_NOT_EXIST) return err;
  return new CommandFailedError(`topic ${topic} not found (${describeError(err)})`);
}

/** Runs `call`, rethrowing its failure explained for `group` (see explainGroupError). */
export async function forGroup<T>(group: string, call: () => Promise<T>, topic?: string): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw explainGroupError(err, group, topic);
  }
}
