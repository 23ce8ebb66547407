import fs from 'node:fs';
import { errnoCode } from '../util/fd-io.js';
import { StoreLockedError } from '../util/errors.js';

// `abort` exists while the store runs (content: the PID); a start that finds it knows the last
// run did not shut down cleanly (reference §11). `lock` keeps two processes off one store:
// Node has no flock, so it holds the owner's PID and a live owner refuses the start.

export function abortFileExists(abortPath: string): boolean {
  return fs.existsSync(abortPath);
}

export function createAbortFileSync(abortPath: string): void {
  const fd = fs.openSync(abortPath, 'w', 0o644);
  try {
    fs.writeSync(fd, String(process.pid));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function deleteAbortFileSync(abortPath: string): void {
  fs.rmSync(abortPath, { force: true });
}

// Stores open in this process: the PID in the lock file cannot tell two of them apart.
const lockedInThisProcess = new Set<string>();

/** Takes the store lock or throws StoreLockedError naming the live owner. */
export function acquireStoreLockSync(lockPath: string): void {
  if (lockedInThisProcess.has(lockPath)) throw new StoreLockedError(lockPath, process.pid);
  let text: string | undefined;
  try {
    text = fs.readFileSync(lockPath, 'utf8');
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
  const owner = text === undefined ? NaN : Number(text.trim());
  if (Number.isSafeInteger(owner) && owner > 0 && owner !== process.pid && isProcessAlive(owner)) {
    throw new StoreLockedError(lockPath, owner);
  }
  fs.writeFileSync(lockPath, String(process.pid));
  lockedInThisProcess.add(lockPath);
}

export function releaseStoreLockSync(lockPath: string): void {
  lockedInThisProcess.delete(lockPath);
  try {
    if (Number(fs.readFileSync(lockPath, 'utf8').trim()) === process.pid) fs.rmSync(lockPath, { force: true });
  } catch {
    // already gone
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) === 'EPERM';
  }
}
