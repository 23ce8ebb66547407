// Which brokers a command works on (shared by the cluster, topic and group commands): RocketMQ's `-b brokerAddr | -c cluster`
// choice (exactly one), the brokers of a cluster as the NameServer lists them (CommandUtil's
// fetchMaster…/fetchMasterAndSlave… lookups), and running one step per broker so that a failure
// on one broker is reported with the others' results instead of ending the command.

import { MASTER_ID } from '@apogee/common';
import type { DefaultMQAdminExt } from '@apogee/client';
import type { ClusterInfo } from '@apogee/remoting';
import { Opt, type OptionSpec } from '../command.js';
import type { CommandContext } from '../context.js';
import { CommandFailedError, ExitStatus, UsageError, describeError } from '../errors.js';
import type { CommandOptions } from '../options.js';

/** `-b` or `-c`, whichever was given. */
export type BrokerSelection = { readonly brokerAddr: string; readonly clusterName?: undefined } | { readonly clusterName: string; readonly brokerAddr?: undefined };

/** The -b and -c options, described as `<what> which broker` / `<what> which cluster` (one of them required). */
export function brokerOrClusterOptions(what: string): OptionSpec[] {
  return [
    { ...Opt.brokerAddr(), description: `${what} which broker (this or -c)` },
    { ...Opt.cluster(), description: `${what} which cluster (this or -b)` },
  ];
}

/** The `-b` / `-c` pair where RocketMQ wants exactly one of them; a UsageError otherwise. */
export function brokerOrCluster(options: CommandOptions): BrokerSelection {
  const brokerAddr = options.optionalText('brokerAddr');
  const clusterName = options.optionalText('clusterName');
  if (brokerAddr !== undefined && clusterName !== undefined) throw new UsageError('give either -b/--brokerAddr or -c/--clusterName, not both');
  if (brokerAddr !== undefined) return { brokerAddr };
  if (clusterName !== undefined) return { clusterName };
  throw new UsageError('one of -b/--brokerAddr <host:port> or -c/--clusterName <cluster> is required');
}

/** One broker process of a cluster. */
export interface ClusterBroker {
  readonly clusterName: string;
  readonly brokerName: string;
  /** 0 = master */
  readonly brokerId: number;
  readonly addr: string;
}

/**
 * Every broker (masters and slaves) of `clusterName`, by broker name then id. A cluster the
 * NameServer does not know is a CommandFailedError (RocketMQ prints a warning and goes on with none).
 */
export async function brokersOfCluster(admin: DefaultMQAdminExt, clusterName: string, info?: ClusterInfo): Promise<ClusterBroker[]> {
  const clusters = info ?? (await admin.examineBrokerClusterInfo());
  const brokerNames = clusters.clusterAddrTable.get(clusterName);
  if (brokerNames === undefined) {
    const known = [...clusters.clusterAddrTable.keys()].sort().join(', ');
    throw new CommandFailedError(`cluster ${JSON.stringify(clusterName)} not found; the NameServer knows ${known === '' ? 'no cluster' : known}`);
  }
  const brokers: ClusterBroker[] = [];
  for (const brokerName of [...brokerNames].sort()) {
    const addrs = clusters.brokerAddrTable.get(brokerName)?.brokerAddrs;
    if (addrs === undefined) continue;
    for (const [brokerId, addr] of [...addrs.entries()].sort((a, b) => a[0] - b[0])) brokers.push({ clusterName, brokerName, brokerId, addr });
  }
  return brokers;
}

/** The masters of `clusterName` (CommandUtil.fetchMasterAddrByClusterName); a CommandFailedError when it has none. */
export async function mastersOfCluster(admin: DefaultMQAdminExt, clusterName: string): Promise<ClusterBroker[]> {
  const masters = (await brokersOfCluster(admin, clusterName)).filter((b) => b.brokerId === MASTER_ID);
  if (masters.length === 0) throw new CommandFailedError(`cluster ${JSON.stringify(clusterName)} has no master broker online`);
  return masters;
}

/** Where a `-b | -c` command writes: the one broker, or every master of the cluster. */
export interface MasterTargets {
  readonly addrs: readonly string[];
  readonly clusterName?: string;
}

export async function masterTargets(admin: DefaultMQAdminExt, options: CommandOptions): Promise<MasterTargets> {
  const selection = brokerOrCluster(options);
  if (selection.brokerAddr !== undefined) return { addrs: [selection.brokerAddr] };
  return { addrs: (await mastersOfCluster(admin, selection.clusterName)).map((b) => b.addr), clusterName: selection.clusterName };
}

/** The broker name registered for `addr` (CommandUtil.fetchBrokerNameByAddr); a CommandFailedError when none is. */
export async function brokerNameOfAddr(admin: DefaultMQAdminExt, addr: string): Promise<string> {
  const info = await admin.examineBrokerClusterInfo();
  for (const [brokerName, data] of info.brokerAddrTable) {
    if ([...data.brokerAddrs.values()].includes(addr)) return brokerName;
  }
  throw new CommandFailedError(`no broker at ${addr} is registered with the NameServer`);
}

/** describeError without the leading `<addr> answered ` when the line names the broker anyway. */
export function errorAt(addr: string, err: unknown): string {
  const text = describeError(err);
  const prefix = `${addr} answered `;
  return text.startsWith(prefix) ? text.slice(prefix.length) : text;
}

/** What one step did on one broker: its value, or why it failed. */
export type PerBroker<T> = { readonly addr: string; readonly ok: true; readonly value: T } | { readonly addr: string; readonly ok: false; readonly error: string };

/**
 * Runs `step` on each address in turn, with a progress bar on a terminal. A failure is kept as
 * that broker's one-line error and the others still run.
 */
export async function eachBroker<T>(ctx: CommandContext, label: string, addrs: readonly string[], step: (addr: string) => Promise<T>): Promise<Array<PerBroker<T>>> {
  const progress = ctx.progress(label, addrs.length);
  const results: Array<PerBroker<T>> = [];
  try {
    for (const addr of addrs) {
      try {
        results.push({ addr, ok: true, value: await step(addr) });
      } catch (err) {
        ctx.logger.debug({ err, addr }, `${label} failed`);
        results.push({ addr, ok: false, error: errorAt(addr, err) });
      }
      progress.update(results.length);
    }
  } finally {
    progress.finish();
  }
  return results;
}

/** A step's outcome on one broker as `--json` shows it. */
export interface BrokerOutcome {
  brokerAddr: string;
  ok: boolean;
  error?: string;
}

export function brokerOutcomes(results: ReadonlyArray<PerBroker<unknown>>): BrokerOutcome[] {
  return results.map((r) => (r.ok ? { brokerAddr: r.addr, ok: true } : { brokerAddr: r.addr, ok: false, error: r.error }));
}

/** FAILED when the step failed on some broker. */
export function exitStatusOfAll(results: ReadonlyArray<PerBroker<unknown>>): ExitStatus {
  return results.every((r) => r.ok) ? ExitStatus.OK : ExitStatus.FAILED;
}
