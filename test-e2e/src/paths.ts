// Folders the harness uses, computed from this file's location (never from the machine).
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** test-e2e/ */
export const TEST_E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** the repository root */
export const REPO_ROOT = path.resolve(TEST_E2E_DIR, '..');
/** git-ignored: fetched jars, compiled Java programs, JVM runtime folders and logs */
export const JAVA_WORK_DIR = path.join(TEST_E2E_DIR, '.java');
/** committed Java sources of the small client programs (package apogee.peers) */
export const JAVA_SRC_DIR = path.join(TEST_E2E_DIR, 'java', 'src');
export const JAVA_PEERS_SCRIPT = path.join(REPO_ROOT, 'scripts', 'java-peers.sh');
