// Where the real Apache RocketMQ jars are, and how to get them (scripts/java-peers.sh + Maven).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { JAVA_PEERS_SCRIPT, JAVA_WORK_DIR } from './paths.js';

const execFileAsync = promisify(execFile);

/** The RocketMQ lines the harness pins. "4.9.8" runs client/tools 4.9.8 with servers 4.9.7. */
export const JAVA_PEER_VERSIONS = ['4.9.8', '5.3.3'] as const;
export type JavaPeerVersion = (typeof JAVA_PEER_VERSIONS)[number];

/** Maven Central never received rocketmq-namesrv/-broker 4.9.8; the 4.9 servers are 4.9.7. */
export const SERVER_VERSION_OF: Readonly<Record<JavaPeerVersion, string>> = { '4.9.8': '4.9.7', '5.3.3': '5.3.3' };

/** A cold fetch downloads ~100 MB; a warm one returns at once. */
export const FETCH_TIMEOUT_MS = 15 * 60_000;

export interface JavaPeers {
  version: JavaPeerVersion;
  serverVersion: string;
  dir: string;
  /** rocketmq-client + rocketmq-tools and their runtime dependencies */
  clientLibDir: string;
  /** rocketmq-namesrv + rocketmq-broker and their runtime dependencies */
  serverLibDir: string;
  /** ROCKETMQ_HOME for the servers and mqadmin (conf/logback_*.xml) */
  rocketmqHome: string;
}

export function javaPeersLayout(version: JavaPeerVersion): JavaPeers {
  const dir = path.join(JAVA_WORK_DIR, version);
  return {
    version,
    serverVersion: SERVER_VERSION_OF[version],
    dir,
    clientLibDir: path.join(dir, 'lib'),
    serverLibDir: path.join(dir, 'server-lib'),
    rocketmqHome: path.join(dir, 'home'),
  };
}

/** Copies the jars into test-e2e/.java/<version>/ (idempotent; Maven caches in ~/.m2). */
export async function fetchJavaPeers(version: JavaPeerVersion): Promise<JavaPeers> {
  try {
    await execFileAsync('bash', [JAVA_PEERS_SCRIPT, 'fetch', version], { timeout: FETCH_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024 });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`fetching RocketMQ ${version} jars failed: ${stderr.trim() || String(err)}`, { cause: err });
  }
  return javaPeersLayout(version);
}

export interface Prerequisites {
  ok: boolean;
  /** what is missing, for the skip / failure message */
  missing: string[];
}

/** Java 17+ and Maven must be on PATH. */
export async function checkJavaPrerequisites(): Promise<Prerequisites> {
  const missing: string[] = [];
  for (const [tool, args] of [['java', ['-version']], ['javac', ['-version']], ['mvn', ['-v']]] as const) {
    try {
      await execFileAsync(tool, [...args], { timeout: 60_000 });
    } catch {
      missing.push(tool);
    }
  }
  return { ok: missing.length === 0, missing };
}
