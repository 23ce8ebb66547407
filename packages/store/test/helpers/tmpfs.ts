import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './store-fixture.js';

// A real small filesystem for full-disk tests: a tmpfs mounted on a temp dir. Needs root (the
// test machines run as root); without it the mount fails and so does the test, loudly.

export function mountTmpfs(sizeBytes: number): { dir: string; unmount: () => void } {
  const dir = tempDir('apogee-tmpfs-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`full-disk tests mount a tmpfs and need root: ${(err as Error).message}`);
  }
  return {
    dir,
    unmount: () => {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function fillFile(dir: string, name: string, bytes: number): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.alloc(bytes, 1));
  return file;
}
