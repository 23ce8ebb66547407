// Fixed loopback ports for Java peers. Each test file (or capture run) takes a slot so that two
// of them never collide; slots are 10 ports apart because a broker uses listenPort - 2 (fast
// remoting), listenPort and listenPort + 1 (HA), and recording proxies sit beside them.
import net from 'node:net';

export const LOOPBACK_HOST = '127.0.0.1';
export const NAMESRV_PORT_BASE = 29_876;
export const BROKER_PORT_BASE = 30_911;
export const PROXY_PORT_BASE = 31_911;
export const PORT_SLOTS_MAX = 50;

export interface PeerPorts {
  namesrvPort: number;
  /** broker listenPort; the broker also binds listenPort - 2 and listenPort + 1 */
  brokerPort: number;
  /** first of 10 ports free for recording proxies */
  proxyPortFirst: number;
}

/**
 * Slots in use (keep this list current): 0 test/java-peers.test.ts, 1 capture-golden 5.3.3,
 * 2 capture-golden 4.9.8, 3-8 the interop tests (INTEROP_PORT_SLOTS in interop-programs.ts),
 * 12 test/sdk-rocketmq.test.ts, 13 test/mqadmin-terminal.test.ts, 14-15 test/mqadmin-cli.test.ts, 45 bench/src/broker-e2e-bench.ts, 46 bench/src/sdk-bench.ts.
 */
export function peerPorts(slot: number): PeerPorts {
  if (!Number.isInteger(slot) || slot < 0 || slot >= PORT_SLOTS_MAX) throw new RangeError(`port slot ${slot} not in 0..${PORT_SLOTS_MAX - 1}`);
  return {
    namesrvPort: NAMESRV_PORT_BASE + slot * 10,
    brokerPort: BROKER_PORT_BASE + slot * 10,
    proxyPortFirst: PROXY_PORT_BASE + slot * 10,
  };
}

/** Rejects with a clear message when something (a leftover JVM?) already listens on a port. */
export async function assertPortsFree(ports: readonly number[], host = LOOPBACK_HOST): Promise<void> {
  for (const port of ports) {
    await new Promise<void>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new Error(`port ${host}:${port} is not free (${err.code ?? err.message}); a JVM from an earlier run may still be up`)),
      );
      server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
    });
  }
}
