// JVM options shared by every RocketMQ process the harness starts.
import path from 'node:path';
import type { JavaPeers } from './java-peers.js';

/** JDK 17 closes these packages; the 4.9 line reaches into them (buffer cleaner, direct memory). */
const ADD_OPENS_FOR_4_9 = [
  '--add-opens', 'java.base/java.nio=ALL-UNNAMED',
  '--add-opens', 'java.base/jdk.internal.ref=ALL-UNNAMED',
  '--add-opens', 'java.base/sun.nio.ch=ALL-UNNAMED',
];

export interface JvmOptions {
  /** e.g. '256m', '1g' */
  heapMax: string;
  directMemoryMax?: string;
  /**
   * user.home of the JVM. RocketMQ derives default log, store and kv-config paths from it, so a
   * per-process folder keeps every run's files together and away from the real home.
   */
  userHome: string;
}

export function jvmOptions(peers: JavaPeers, opts: JvmOptions): string[] {
  const args = [
    '-Xms64m',
    `-Xmx${opts.heapMax}`,
    '-XX:+UseG1GC',
    '-XX:-OmitStackTraceInFastThrow',
    '-Djava.net.preferIPv4Stack=true',
    `-Duser.home=${opts.userHome}`,
    `-Drocketmq.home.dir=${peers.rocketmqHome}`,
  ];
  if (opts.directMemoryMax !== undefined) args.push(`-XX:MaxDirectMemorySize=${opts.directMemoryMax}`);
  if (peers.version.startsWith('4.')) args.push(...ADD_OPENS_FOR_4_9);
  return args;
}

/** A classpath entry for every jar in `dir` (java expands "dir/*" itself). */
export function jarsIn(dir: string): string {
  return path.join(dir, '*');
}

export function classpath(entries: readonly string[]): string {
  return entries.join(path.delimiter);
}
