// Compiles the small Java programs in test-e2e/java/src against a version's client (or server) classpath.
// Output is cached by content: test-e2e/.java/<version>/classes/<hash>/.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fetchJavaPeers, type JavaPeers, type JavaPeerVersion } from './java-peers.js';
import { classpath, jarsIn } from './jvm-options.js';
import { JAVA_SRC_DIR } from './paths.js';

const execFileAsync = promisify(execFile);
export const JAVAC_TIMEOUT_MS = 120_000;

/** The harness's client programs (package apogee.peers): SendMessages, ReceiveMessages. */
export const PEER_PROGRAM_SOURCES: readonly string[] = ['Args', 'JsonLine', 'SampleMessages', 'SendMessages', 'ReceiveMessages'].map(
  (name) => path.join('apogee', 'peers', `${name}.java`),
);

/** Which of a version's classpaths a program is built and run against. */
export type JavaLib = 'client' | 'server';

/** The jar folder of `lib`: the client (rocketmq-client, rocketmq-tools) or the server (namesrv, broker, store). */
export function libDirOf(peers: JavaPeers, lib: JavaLib): string {
  return lib === 'server' ? peers.serverLibDir : peers.clientLibDir;
}

/**
 * Compiles `sources` (paths relative to test-e2e/java/src, or absolute) against a version's
 * client classpath (or its server one) and returns the classes folder to put on a classpath. A
 * second call with unchanged sources returns the cached folder.
 */
export async function compileJava(sources: readonly string[], version: JavaPeerVersion, lib: JavaLib = 'client'): Promise<string> {
  const peers = await fetchJavaPeers(version);
  const files = sources.map((s) => path.resolve(JAVA_SRC_DIR, s));
  const hash = crypto.createHash('sha256').update(version).update(lib);
  for (const file of files) hash.update(path.relative(JAVA_SRC_DIR, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  const outDir = path.join(peers.dir, 'classes', hash.digest('hex').slice(0, 16));
  if (fs.existsSync(path.join(outDir, '.complete'))) return outDir;
  const tmpDir = `${outDir}.tmp-${process.pid}`;
  fs.rmSync(tmpDir, { recursive: true, force: true });
  fs.mkdirSync(tmpDir, { recursive: true });
  try {
    await execFileAsync('javac', ['-encoding', 'UTF-8', '--release', '17', '-cp', classpath([jarsIn(libDirOf(peers, lib))]), '-d', tmpDir, ...files], {
      timeout: JAVAC_TIMEOUT_MS,
    });
  } catch (err) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`javac failed for RocketMQ ${version}: ${stderr.trim() || String(err)}`, { cause: err });
  }
  fs.writeFileSync(path.join(tmpDir, '.complete'), '');
  try {
    fs.renameSync(tmpDir, outDir);
  } catch {
    // another process finished the same compilation first; its output is identical
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  return outDir;
}
