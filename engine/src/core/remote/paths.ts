/**
 * Windows path forms as the remote model reads them: a stored target or link path parsed into its
 * form (drive, device, UNC, rooted, relative), host identity (same machine by name, loopback), and
 * the share-relative joins. Pure string work through path.win32 (never resolve(), which reads the
 * process's working directory).
 */
import path from 'node:path';

import { hasDriveLetter, isDriveAbsolute, isDriveAnchored } from '../../ntfs/ntpath.js';

const win32 = path.win32;

type TargetForm =
  /** C:\dir (also \\?\C:\dir, \??\C:\dir, \\.\C:\dir) */
  | 'drive'
  /** \\?\Volume{guid}\dir or another device path (\\.\X, \\?\GLOBALROOT\…): local, no drive letter */
  | 'device'
  /** \\host\share\dir (also \\?\UNC\host\share\dir, \??\UNC\…) */
  | 'unc'
  /** \dir: rooted at the current drive; for a link, the root of the volume or share holding it */
  | 'rooted'
  /** dir, ..\dir */
  | 'relative'
  /** C:dir: relative to a drive's current directory; meaningless in a stored link */
  | 'driveRelative'
  /** \\host with no share, or empty */
  | 'invalid';

export interface ParsedTarget {
  form: TargetForm;
  /** The path in plain Win32 form (long-path and NT prefixes removed), normalised. */
  path: string;
  host?: string;
  share?: string;
}

/** Parse a stored target or a link path. Handles the \\?\, \??\ and \\.\ prefixes before path.win32. */
export function parseTarget(raw: string): ParsedTarget {
  const p = raw.replace(/\//g, '\\');
  if (p.length === 0) return { form: 'invalid', path: p };

  const prefixed = /^(?:\\\\[?.]\\|\\\?\?\\)(.*)$/.exec(p);
  if (prefixed) {
    const rest = prefixed[1]!;
    const unc = /^UNC\\(.*)$/i.exec(rest);
    if (unc) return parseTarget(`\\\\${unc[1]!}`);
    if (isDriveAnchored(rest)) return { form: 'drive', path: win32.normalize(rest.length === 2 ? `${rest}\\` : rest) };
    if (rest.length === 0) return { form: 'invalid', path: p };
    // Volume GUID and other device paths: path.win32 reads \\?\X\ as a UNC root, which normalises well.
    return { form: 'device', path: win32.normalize(`\\\\?\\${rest}`) };
  }

  if (/^\\\\/.test(p)) {
    const m = /^\\\\([^\\]+)\\([^\\]+)(\\.*)?$/.exec(p);
    if (!m) return { form: 'invalid', path: p };
    // path.win32 writes a bare share root with a trailing separator; keep \\Sv2\T_Dir as stored.
    const norm = win32.normalize(p);
    return { form: 'unc', path: m[3] ? norm : norm.replace(/\\$/, ''), host: m[1]!, share: m[2]! };
  }
  if (isDriveAbsolute(p)) return { form: 'drive', path: win32.normalize(p) };
  if (hasDriveLetter(p)) return { form: 'driveRelative', path: p };
  if (p.startsWith('\\')) return { form: 'rooted', path: win32.normalize(p) };
  return { form: 'relative', path: win32.normalize(p) };
}

export function isLocalAbsolute(form: TargetForm): boolean {
  return form === 'drive' || form === 'device';
}

export function sameText(a: string, b: string): boolean {
  return a.toUpperCase() === b.toUpperCase();
}

/**
 * Whether two host names name the same machine, as far as names can tell: equal ignoring case and
 * a trailing dot, or one is the short name of the other ("Alice" and "alice.corp.example").
 * IP addresses are compared only as text.
 */
export function sameHost(a: string, b: string): boolean {
  const x = a.replace(/\.$/, '').toUpperCase();
  const y = b.replace(/\.$/, '').toUpperCase();
  if (x === y) return true;
  const isIp = (s: string): boolean => /^[0-9.]+$/.test(s) || s.includes(':');
  if (isIp(x) || isIp(y)) return false;
  if (!x.includes('.') && y.split('.')[0] === x) return true;
  if (!y.includes('.') && x.split('.')[0] === y) return true;
  return false;
}

/** One decimal octet 0-255 as Windows reads a dotted address (no leading zero: `0127` is octal there). */
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/**
 * Names that lead back to the machine itself: `localhost`, the whole 127.0.0.0/8 block (every address
 * in it is loopback, not only 127.0.0.1), `::1` in its forms (`[::1]`, and `0--1.ipv6-literal.net`,
 * the way a UNC path writes an IPv6 address), with an optional final dot.
 */
const LOOPBACK_RE = new RegExp(`^(?:localhost|127(?:\\.${OCTET}){3}|::1|\\[::1\\]|0--1\\.ipv6-literal\\.net)\\.?$`, 'i');

export function isLoopback(host: string): boolean {
  return LOOPBACK_RE.test(host);
}

/** `child` is `parent` or below it (case-insensitive, on element boundaries). Returns the rest or undefined. */
export function below(parent: string, child: string): string | undefined {
  const p = win32.normalize(parent).replace(/\\+$/, '');
  const c = win32.normalize(child).replace(/\\+$/, '');
  if (c.toUpperCase() === p.toUpperCase()) return '';
  if (c.toUpperCase().startsWith(`${p.toUpperCase()}\\`)) return c.slice(p.length + 1);
  return undefined;
}

/** dir (relative to a root) joined with a relative target; null when the result climbs above the root. */
export function joinRelative(dir: string, rel: string): string | null {
  const joined = win32.normalize(dir ? win32.join(dir, rel) : rel);
  if (joined === '.' || joined === '.\\') return '';
  if (joined === '..' || joined.startsWith('..\\')) return null;
  return joined.replace(/\\+$/, '');
}

/** Like joinRelative, but '..' at the root stays at the root, as Windows normalises C:\..\x to C:\x. */
export function clampToRoot(dir: string, rel: string): string {
  const out: string[] = [];
  for (const part of `${dir}\\${rel}`.split('\\')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('\\');
}
