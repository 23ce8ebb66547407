// Regenerates the captured golden fixtures from real Apache RocketMQ peers:
//   pnpm -C test-e2e exec tsx src/capture-golden.ts [5.3.3|4.9.8|all]   (default: all)
// Needs Java 17 and Maven; fetches the jars itself. Takes about a minute per version.
import { captureSession } from './capture-session.js';
import { writeGoldenFixtures } from './golden-fixtures.js';
import { JAVA_PEER_VERSIONS, type JavaPeerVersion } from './java-peers.js';
import { REPO_ROOT } from './paths.js';
import path from 'node:path';

/** Port slots (see ports.ts) so a capture never collides with the smoke test. */
const CAPTURE_SLOT: Readonly<Record<JavaPeerVersion, number>> = { '5.3.3': 1, '4.9.8': 2 };

function versionsFromArgs(arg: string | undefined): JavaPeerVersion[] {
  if (arg === undefined || arg === 'all') return [...JAVA_PEER_VERSIONS].reverse();
  const v = JAVA_PEER_VERSIONS.find((x) => x === arg);
  if (v === undefined) throw new Error(`unknown version '${arg}' (use ${JAVA_PEER_VERSIONS.join(', ')} or all)`);
  return [v];
}

const capturedAt = `captured on ${new Date().toISOString().slice(0, 10)}`;
for (const version of versionsFromArgs(process.argv[2])) {
  const startedMs = Date.now();
  console.log(`capturing RocketMQ ${version} ...`);
  const capture = await captureSession(version, CAPTURE_SLOT[version]);
  const files = writeGoldenFixtures(capture, capturedAt);
  console.log(`RocketMQ ${version}: ${files.length} fixtures in ${((Date.now() - startedMs) / 1000).toFixed(1)} s`);
  for (const f of files) console.log(`  ${path.relative(REPO_ROOT, f)}`);
}
