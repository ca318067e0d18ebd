/**
 * The one reader of the Linux mount table (/proc/self/mountinfo), for the posix backend's mounts()
 * and the ntfs-3g mount detection.
 */
import fs from 'node:fs';

interface MountRow {
  majorMinor: string;
  fsRoot: string;
  mountPoint: string;
  fstype: string;
  source: string;
}

/** Undo the octal escapes /proc uses for space, tab, newline and backslash. */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** Rows of /proc/self/mountinfo; null when it cannot be read (not Linux, no /proc). */
export function readMountInfo(): MountRow[] | null {
  let text: string;
  try {
    text = fs.readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return null;
  }
  const rows: MountRow[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    const dash = f.indexOf('-', 6);
    if (f.length < 10 || dash < 0) continue;
    rows.push({
      majorMinor: f[2]!,
      fsRoot: unescapeMount(f[3]!),
      mountPoint: unescapeMount(f[4]!),
      fstype: f[dash + 1] ?? '',
      source: unescapeMount(f[dash + 2] ?? ''),
    });
  }
  return rows;
}
