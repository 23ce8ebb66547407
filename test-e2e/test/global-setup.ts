// Runs once before the test files: checks for Java 17 + Maven and fetches the RocketMQ 5.3.3 and
// 4.9.8 jars (Maven, cached in ~/.m2, copied to test-e2e/.java/). Under CI=true a missing
// prerequisite fails the run; elsewhere the Java tests are skipped with a loud message.
import type { TestProject } from 'vitest/node';
import { checkJavaPrerequisites, fetchJavaPeers } from '../src/java-peers.js';

export interface JavaPeersAvailability {
  ok: boolean;
  /** why not, when !ok */
  reason: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    javaPeers: JavaPeersAvailability;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const isCI = process.env.CI === 'true';
  let availability: JavaPeersAvailability;
  const prerequisites = await checkJavaPrerequisites();
  if (!prerequisites.ok) {
    availability = { ok: false, reason: `not on PATH: ${prerequisites.missing.join(', ')} (Java 17 and Maven 3.8+ are needed)` };
  } else {
    try {
      // Both lines, so no test file pays for a cold fetch inside its own time limit.
      await fetchJavaPeers('5.3.3');
      await fetchJavaPeers('4.9.8');
      availability = { ok: true, reason: '' };
    } catch (err) {
      availability = { ok: false, reason: err instanceof Error ? err.message : String(err) };
    }
  }
  if (!availability.ok) {
    if (isCI) throw new Error(`Java peers unavailable under CI=true: ${availability.reason}`);
    const bar = '!'.repeat(100);
    console.warn(`\n${bar}\n!!! SKIPPING the Java-peer tests of test-e2e: ${availability.reason}\n!!! (with CI=true this fails the run instead)\n${bar}\n`);
  }
  project.provide('javaPeers', availability);
}
