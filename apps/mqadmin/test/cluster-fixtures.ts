// Test helpers of the cluster/broker and topic command tests: more brokers registered with the
// Harness's NameServer (another master, a slave of the Harness's broker, a master in another
// cluster), a "ghost" broker the NameServer lists at an address where nothing answers (to see
// one broker of several fail), and a started admin client to look at what a command changed.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultMQAdminExt } from '@apogee/client';
import { type BrokerController, type BrokerIdentity, BrokerOuterAPI, createBrokerController } from '@apogee/broker';
import { RemotingClient } from '@apogee/remoting';
import { quietLogger, randomId, waitFor } from '@apogee/remoting/testing';
import type { Harness } from './harness.js';

export interface ExtraBrokerSpec {
  readonly clusterName: string;
  readonly brokerName: string;
  /** a SLAVE with brokerId 1 (of the master of the same broker name) */
  readonly slave?: boolean;
}

/** Starts a broker registered with `h`'s NameServer; shut down with the Harness. Resolves once the NameServer lists it. */
export async function startExtraBroker(h: Harness, spec: ExtraBrokerSpec): Promise<BrokerController> {
  const dir = mkdtempSync(join(tmpdir(), 'apogee-mqadmin-broker-'));
  const values = new Map<string, string>(spec.slave === true ? [['brokerRole', 'SLAVE'], ['brokerId', '1']] : []);
  const broker = createBrokerController(values, {
    brokerClusterName: spec.clusterName, brokerName: spec.brokerName, brokerIP1: '127.0.0.1', brokerIP2: '127.0.0.1', listenPort: 0,
    namesrvAddr: h.namesrvAddr, storePathRootDir: join(dir, spec.brokerName),
  }, { logger: quietLogger('extra-broker'), env: {} });
  h.track({ shutdown: async () => { await broker.shutdown(); rmSync(dir, { recursive: true, force: true }); } });
  await broker.start();
  const admin = await startAdmin(h);
  await waitFor(async () => {
    const info = await admin.examineBrokerClusterInfo();
    return [...(info.brokerAddrTable.get(spec.brokerName)?.brokerAddrs.values() ?? [])].includes(broker.brokerAddr);
  }, { timeoutMs: 10_000 });
  return broker;
}

/** Where nothing listens: connecting there is refused at once. */
export const DEAD_ADDR = '127.0.0.1:1';

export interface GhostBroker {
  readonly addr: string;
  /** unregisters it (also done when the Harness shuts down) */
  remove(): Promise<void>;
}

/**
 * Registers a broker at DEAD_ADDR with `h`'s NameServer, as the master (id 0) or slave (id >= 1)
 * of `brokerName` in `clusterName`. The NameServer lists it until removed, since the registering
 * connection stays open.
 */
export async function registerGhostBroker(h: Harness, identity: { clusterName: string; brokerName: string; brokerId: number }): Promise<GhostBroker> {
  const client = new RemotingClient({ logger: quietLogger('ghost') });
  const api = new BrokerOuterAPI(client, quietLogger('ghost'));
  const ghost: BrokerIdentity = { ...identity, brokerAddr: DEAD_ADDR, haServerAddr: '127.0.0.1:2' };
  const outcomes = await api.registerBrokerAll([h.namesrvAddr], ghost, { dataVersion: { counter: 1, stateVersion: 0, timestamp: Date.now() }, topicConfigTable: new Map() }, 5_000);
  if (!outcomes.every((o) => o.ok)) throw new Error(`ghost registration failed: ${JSON.stringify(outcomes)}`);
  let removed = false;
  const remove = async (): Promise<void> => {
    if (removed) return;
    removed = true;
    await api.unregisterBrokerAll([h.namesrvAddr], ghost, 5_000);
    await client.shutdown();
  };
  h.track({ shutdown: remove });
  return { addr: DEAD_ADDR, remove };
}

/** A started admin client on `h`'s NameServer (shut down with the Harness). */
export async function startAdmin(h: Harness): Promise<DefaultMQAdminExt> {
  const admin = new DefaultMQAdminExt({ namesrvAddr: h.namesrvAddr, logger: quietLogger('admin'), instanceName: `test-admin-${randomId()}` });
  await admin.start();
  return h.track(admin);
}

/** `text` with regex metacharacters escaped. */
export function re(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The length of the longest line of `text`. */
export function widestLine(text: string): number {
  return Math.max(0, ...text.split('\n').map((l) => l.length));
}
