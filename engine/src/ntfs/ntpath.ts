/**
 * NT path handling for reparse data, kept apart from print names.
 *
 * A symlink or junction stores two names: the substitute name, an NT path the I/O manager actually
 * reparses to (`\??\C:\dir`), and the print name, free text shown to users. Only the substitute name
 * decides where the link goes; audit rules compare the two with these helpers. Nothing here touches
 * the file system or normalises `.` / `..`: it is string work on the stored form, and runs on any OS.
 */

/**
 * What kind of path a substitute name (or DOS path) is:
 * - drive:      `\??\C:\x`, `\\?\C:\x`, `C:\x`
 * - unc:        `\??\UNC\srv\share\x`, `\\?\UNC\srv\share`, `\\srv\share\x`
 * - volumeGuid: `\??\Volume{guid}\x`, `\\?\Volume{guid}\`
 * - relative:   `..\a.txt`, `a\b`, and drive-relative `C:a` (depends on a current directory)
 * - rooted:     `\x` (root of whatever drive the link is on)
 * - device:     an object-manager path that is not one of the above: `\Device\HarddiskVolume1\x`,
 *               `\??\GLOBALROOT\...`, `\??\pipe\x`, `\\.\PhysicalDrive0`, `\RPC Control\x`, `\??\C:`
 */
export type NtPathKind = 'drive' | 'unc' | 'volumeGuid' | 'relative' | 'rooted' | 'device';

/** A path converted from NT form, with what kind of path it was. */
export interface DosPathResult {
  /** The Win32 form: `C:\x`, `\\srv\share\x`, `\\?\Volume{guid}\`, `\\?\GLOBALROOT\Device\...`, or the input. */
  readonly path: string;
  readonly kind: NtPathKind;
}

/** Object-manager directories at the root of the NT namespace; `\<one of these>\...` is a device path. */
const OBJECT_DIRECTORIES = new Set(
  [
    'Device',
    'GLOBAL??',
    '??',
    'DosDevices',
    'RPC Control',
    'BaseNamedObjects',
    'Sessions',
    'KnownDlls',
    'KnownDlls32',
    'ObjectTypes',
    'Driver',
    'FileSystem',
    'Callback',
    'KernelObjects',
    'SystemRoot',
    'ArcName',
    'Registry',
    'NLS',
    'Silos',
    'UMDFCommunicationPorts',
  ].map((s) => s.toLowerCase()),
);

const VOLUME_GUID_RE = /^Volume\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}(?:\\|$)/i;
const DRIVE_ROOT_RE = /^[A-Za-z]:[\\/]/;
const DRIVE_ANY_RE = /^[A-Za-z]:/;

interface Split {
  /** Which prefix introduced the rest: `\??\`, `\\?\`, `\\.\`, or an NT alias such as `\GLOBAL??\`. */
  readonly prefix: '\\??\\' | '\\\\?\\' | '\\\\.\\' | 'alias';
  readonly rest: string;
}

/** Split off a DOS-device-namespace prefix, if there is one. */
function splitPrefix(p: string): Split | undefined {
  if (p.startsWith('\\??\\')) return { prefix: '\\??\\', rest: p.slice(4) };
  // Win32 accepts forward slashes in the `\\?\` and `\\.\` prefixes too (`//?/C:/x`).
  const win32 = /^[\\/]{2}([?.])[\\/]/.exec(p);
  if (win32) return { prefix: win32[1] === '?' ? '\\\\?\\' : '\\\\.\\', rest: p.slice(4) };
  const lower = p.toLowerCase();
  for (const alias of ['\\global??\\', '\\dosdevices\\']) {
    if (lower.startsWith(alias)) return { prefix: 'alias', rest: p.slice(alias.length) };
  }
  return undefined;
}

/** Classify what follows a `\??\`-like prefix. */
function classifyDeviceRest(rest: string): NtPathKind {
  if (/^[A-Za-z]:[\\/]/.test(rest)) return 'drive';
  if (/^UNC[\\/]./i.test(rest)) return 'unc';
  if (VOLUME_GUID_RE.test(rest)) return 'volumeGuid';
  return 'device';
}

/** Classify an NT substitute name or a DOS path. */
export function classifyNtPath(p: string): NtPathKind {
  const split = splitPrefix(p);
  if (split) return classifyDeviceRest(split.rest);
  if (/^[\\/]{2}/.test(p)) return 'unc';
  if (DRIVE_ROOT_RE.test(p)) return 'drive';
  if (DRIVE_ANY_RE.test(p)) return 'relative';
  if (p.startsWith('\\') || p.startsWith('/')) {
    const first = p.slice(1).split(/[\\/]/, 1)[0] ?? '';
    return OBJECT_DIRECTORIES.has(first.toLowerCase()) && p.startsWith('\\') ? 'device' : 'rooted';
  }
  return 'relative';
}

/**
 * Convert a substitute name (NT form) to the Win32 form a user would type, with its kind.
 * `\??\C:\x` → `C:\x`; `\??\UNC\srv\share\x` → `\\srv\share\x`; `\\?\C:\x` → `C:\x`;
 * `\??\Volume{g}\x` → `\\?\Volume{g}\x` (kind volumeGuid: no drive letter is known);
 * `\Device\X\y` → `\\?\GLOBALROOT\Device\X\y`; other device paths keep a `\\?\` / `\\.\` prefix;
 * relative and rooted paths are returned unchanged.
 */
export function ntToDos(substituteName: string): DosPathResult {
  const p = substituteName;
  const kind = classifyNtPath(p);
  const split = splitPrefix(p);
  switch (kind) {
    case 'drive':
      return { kind, path: split ? split.rest : p };
    case 'unc':
      return { kind, path: split ? `\\\\${split.rest.slice(4)}` : p };
    case 'volumeGuid':
      return { kind, path: `\\\\?\\${split ? split.rest : p}` };
    case 'device':
      if (!split) return { kind, path: p.startsWith('\\') ? `\\\\?\\GLOBALROOT${p}` : p };
      return { kind, path: split.prefix === '\\\\.\\' ? p : `\\\\?\\${split.rest}` };
    default:
      return { kind, path: p };
  }
}

/**
 * Convert a Win32 path to the NT form stored as a substitute name.
 * `C:\x` → `\??\C:\x`; `\\srv\share` → `\??\UNC\srv\share`; `\\?\` and `\\.\` prefixes become `\??\`;
 * forward slashes in drive and UNC paths become backslashes (NT does not translate them);
 * relative, drive-relative (`C:x`) and rooted (`\x`) paths are returned unchanged, as are paths
 * already in NT form. No `.`/`..` normalisation happens here.
 */
export function dosToNt(path: string): string {
  const p = path;
  if (p.startsWith('\\??\\')) return p;
  if (p.startsWith('\\\\?\\') || p.startsWith('\\\\.\\')) return `\\??\\${p.slice(4)}`;
  if (/^[\\/]{2}[?.][\\/]/.test(p)) return `\\??\\${p.slice(4).replace(/\//g, '\\')}`;
  if (/^[\\/]{2}/.test(p)) return `\\??\\UNC\\${p.slice(2).replace(/\//g, '\\')}`;
  if (DRIVE_ROOT_RE.test(p)) return `\\??\\${p.replace(/\//g, '\\')}`;
  return p;
}

/** Is the substitute name exactly a volume root, `\??\Volume{guid}\` (what a volume mount point stores)? */
export function isVolumeRoot(substituteName: string): boolean {
  const split = splitPrefix(substituteName);
  if (!split || split.prefix === 'alias') return false;
  const m = VOLUME_GUID_RE.exec(split.rest);
  return m !== null && m[0].length === split.rest.length;
}

/** `C:\x` or `C:/x`: a path anchored at the root of a drive letter. */
export function isDriveAbsolute(p: string): boolean {
  return DRIVE_ROOT_RE.test(p);
}

/** Starts with a drive letter and a colon (`C:\x`, `C:x`, `C:`): absolute or drive-relative. */
export function hasDriveLetter(p: string): boolean {
  return DRIVE_ANY_RE.test(p);
}

/** Exactly the backslash root of a drive, `C:\`. */
export function isDriveRoot(p: string): boolean {
  return /^[A-Za-z]:\\$/.test(p);
}

/** The drive letter, as written, of a path anchored at a drive root (`C:\x`, `C:/x`); null otherwise. */
export function driveLetterOf(p: string): string | null {
  return DRIVE_ROOT_RE.test(p) ? p[0]! : null;
}

/** `C:\x`, `C:/x` or `\\srv\share`: absolute under Win32 rules without a current drive (not rooted `\x`). */
export function isWin32Absolute(p: string): boolean {
  return DRIVE_ROOT_RE.test(p) || p.startsWith('\\\\');
}

/** `C:\x`, `C:/x` or a bare `C:`: a drive path that is not drive-relative text like `C:x`. */
export function isDriveAnchored(p: string): boolean {
  return /^[A-Za-z]:([\\/]|$)/.test(p);
}

/** A share name that is a drive's administrative share (`C$`). */
export function isAdminShareName(name: string): boolean {
  return /^[A-Za-z]\$$/.test(name);
}

/** The root a Win32 path is written with, as typed: `C:\` (or `C:/`), `\\srv\share\`, `\` (rooted); '' for none. */
export function win32RootText(p: string): string {
  const m = /^(?:[A-Za-z]:[\\/]|\\\\[^\\/]+[\\/][^\\/]+[\\/]?|[\\/])/.exec(p);
  return m ? m[0] : '';
}

/** The administrative share of the drive a backslash path `C:\…` is on: `{ name: 'C$', path: 'C:\' }`; null otherwise. */
export function adminShareOf(localPath: string): { name: string; path: string } | null {
  const m = /^([A-Za-z]):\\/.exec(localPath);
  return m ? { name: `${m[1]!.toUpperCase()}$`, path: `${m[1]!.toUpperCase()}:\\` } : null;
}
