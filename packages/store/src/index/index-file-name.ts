// Index files are named by their local creation time, yyyyMMddHHmmssSSS (RocketMQ's
// UtilAll.timeMillisToHumanString).

export function formatIndexFileName(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w: number): string => String(n).padStart(w, '0');
  return (
    p(d.getFullYear(), 4) +
    p(d.getMonth() + 1, 2) +
    p(d.getDate(), 2) +
    p(d.getHours(), 2) +
    p(d.getMinutes(), 2) +
    p(d.getSeconds(), 2) +
    p(d.getMilliseconds(), 3)
  );
}

export function isIndexFileName(name: string): boolean {
  return /^[0-9]{17}$/.test(name);
}

/** Milliseconds since the epoch that a file name stands for (local time), 0 if not a name. */
export function parseIndexFileName(name: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})$/.exec(name);
  if (!m) return 0;
  const [, y, mo, d, h, mi, s, ms] = m;
  return new Date(+y!, +mo! - 1, +d!, +h!, +mi!, +s!, +ms!).getTime();
}
