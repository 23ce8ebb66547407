// Durable whole-file replacement for small state files (configs, offsets): write a temp file,
// fsync it, keep the previous version as `<file>.bak`, rename into place, fsync the directory.
// A crash at any point leaves either the old or the new content readable.

import { open, rename, readFile, copyFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await copyFile(path, `${path}.bak`).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
  await rename(tmp, path);
  await syncDirectory(dirname(path));
}

/**
 * Reads a state file, falling back to `<file>.bak` when the file is missing, empty or rejected
 * by `parse` (which should throw on bad content). Returns undefined when neither exists.
 */
export async function readFileWithBackup<T>(path: string, parse: (text: string) => T): Promise<{ value: T; fromBackup: boolean } | undefined> {
  for (const [candidate, fromBackup] of [[path, false], [`${path}.bak`, true]] as const) {
    let text: string;
    try {
      text = await readFile(candidate, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    if (text.trim() === '') continue;
    try {
      return { value: parse(text), fromBackup };
    } catch {
      continue;
    }
  }
  return undefined;
}

export async function removeFileIfExists(path: string): Promise<void> {
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
