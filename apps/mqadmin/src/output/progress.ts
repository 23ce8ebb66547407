// A one-line progress bar for long operations (printMsg over a range, consumeMessage). It draws
// on stderr and only when stderr is a terminal and JSON output was not asked for, so piped or
// scripted runs stay quiet. Redraws are throttled to ~10 per second.

import type { OutputStream } from '../io.js';

const BAR_WIDTH = 30;
const REDRAW_INTERVAL_MS = 100;

export interface Progress {
  /** `done` units of `total` are finished */
  update(done: number): void;
  /** clears the bar (call once at the end, also after a failure) */
  finish(): void;
}

export const NO_PROGRESS: Progress = { update: () => undefined, finish: () => undefined };

export function createProgress(stream: OutputStream, label: string, total: number, now: () => number = Date.now): Progress {
  if (stream.isTTY !== true || total <= 0) return NO_PROGRESS;
  let lastDrawMs = 0;
  let drawn = false;
  return {
    update(done) {
      const t = now();
      if (done < total && t - lastDrawMs < REDRAW_INTERVAL_MS) return;
      lastDrawMs = t;
      drawn = true;
      stream.write(`\r${progressLine(label, done, total)}`);
    },
    finish() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}

/** `label [#####-----]  50% 5/10` */
export function progressLine(label: string, done: number, total: number): string {
  const ratio = Math.min(1, Math.max(0, done / total));
  const filled = Math.round(ratio * BAR_WIDTH);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}% ${done}/${total}`;
}
