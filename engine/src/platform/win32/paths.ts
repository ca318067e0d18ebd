/**
 * Windows path helpers for the win32 backend (and the mock acting as Windows). Pure string work: no
 * I/O, runs the same on every OS, unit-tested on Linux (test/engine/platform/win32/paths.test.ts).
 *
 * - Long paths: the `\\?\` (and `\\?\UNC\`) prefix is added at the FFI boundary only, never stored
 *   in records or link targets (like Go's `fixLongPath` in os/path_windows.go).
 * - Link targets: where a stored target leads (`resolveWindowsTarget`), how a symlink target is written
 *   (`symlinkTargetForWindows`), what a junction stores (`junctionNames`).
 * - Identity: `fileIdHex` formats (volume serial, file index) as `vvvvvvvv:iiiiiiiiiiiiiiii`.
 */
import path from 'node:path';
import { LinkToolsError } from '../../errors.js';
import { classifyNtPath, dosToNt, hasDriveLetter, isDriveAbsolute, isDriveRoot, ntToDos } from '../../ntfs/index.js';

const W = path.win32;

/**
 * Win32 APIs reject paths of MAX_PATH (260) or more without the `\\?\` prefix; directories must leave
 * room for an 8.3 name (248). Go uses the same threshold; shorter paths keep Win32 semantics.
 */
export const LONG_PATH_THRESHOLD = 248;

/** `\\srv\share...` (not `\\?\` or `\\.\`). */
export function isUncPath(p: string): boolean {
  return /^[\\/]{2}[^\\/?.]/.test(p);
}

/** `\\?\...` or `\\.\...`: already in the Win32 device namespace, passed through untouched. */
export function isDeviceNamespace(p: string): boolean {
  return /^[\\/]{2}[?.][\\/]/.test(p);
}

/**
 * The form of an absolute path to hand to a wide Win32 API: normalised (the `\\?\` prefix disables
 * Win32 normalisation, so `.`, `..` and `/` are handled here first) and prefixed when long.
 * `force` prefixes short paths too (tests, and callers that must bypass Win32 name rules).
 * Relative paths and device-namespace paths come back unchanged.
 */
export function toLongPath(p: string, force = false): string {
  if (isDeviceNamespace(p)) return p.replace(/^\/\/([?.])\//, '\\\\$1\\');
  if (isDriveAbsolute(p)) {
    const n = W.normalize(p);
    if (!force && n.length < LONG_PATH_THRESHOLD) return n;
    // `\\?\` turns Win32 name rules off: apply them first, so a name means the same above and
    // below the threshold (`C:\dir.` is `C:\dir` either way).
    return `\\\\?\\${win32TrimPath(n)}`;
  }
  if (isUncPath(p)) {
    const n = W.normalize(p);
    if (!force && n.length < LONG_PATH_THRESHOLD) return n;
    return `\\\\?\\UNC\\${win32TrimPath(n).slice(2)}`;
  }
  return p;
}

/** DOS device names that Win32 path rules turn into `\\.\NAME` wherever they are the last component. */
const DOS_DEVICE = /^(CON|PRN|AUX|NUL|COM[1-9\u00b9\u00b2\u00b3]|LPT[1-9\u00b9\u00b2\u00b3]|CONIN\$|CONOUT\$)$/i;

/**
 * Whether a last path component names a DOS device for Win32 (`CON`, `nul.txt`, `COM1 `): the name
 * before the first dot, trailing spaces and dots ignored (the rule before Windows 11, which is the
 * wider one; Windows 11 only keeps the bare names).
 */
export function isDosDeviceName(component: string): boolean {
  const stem = component
    .replace(/[ .]+$/, '')
    .split('.')[0]!
    .replace(/ +$/, '');
  return DOS_DEVICE.test(stem);
}

/**
 * The Win32 trimming rules GetFullPathNameW applies to a normalised absolute path (documented in
 * .NET's "File path formats on Windows systems", Path normalization): a component ending in a
 * single period loses it, and a path that does not end in a separator loses its trailing periods
 * and spaces. `\\?\` paths skip these rules, so the backend applies them itself before prefixing.
 */
export function win32TrimPath(n: string): string {
  const root = W.parse(n).root;
  const rest = n.slice(root.length);
  if (rest === '') return n;
  const endsWithSep = /[\\/]$/.test(rest);
  const parts = rest.split(/[\\/]/);
  const out = parts.map((c) => (c !== '.' && c !== '..' && /[^.]\.$/.test(c) ? c.slice(0, -1) : c));
  let joined = out.join('\\');
  if (!endsWithSep) joined = joined.replace(/[ .]+$/, '');
  return root + joined;
}

/**
 * What GetFullPathNameW makes of an absolute path (for the mock and the tests; the win32 backend
 * calls the API itself): normalised, trimmed, and `\\.\CON` when the last component is a DOS device.
 * Device-namespace paths (`\\?\`, `\\.\`) come back unchanged.
 */
export function win32FullPathName(p: string): string {
  if (isDeviceNamespace(p)) return p;
  const n = win32TrimPath(W.normalize(p));
  const last = W.basename(n);
  if (last && isDosDeviceName(last))
    return `\\\\.\\${last
      .replace(/[ .]+$/, '')
      .split('.')[0]!
      .replace(/ +$/, '')
      .toUpperCase()}`;
  return n;
}

/**
 * A path that must reach the object named literally (a reparse target: NT never applies Win32
 * trimming): unchanged when Win32 rules leave it alone, else its `\\?\` form, so that opening it
 * does not land on another entry (`C:\dir.` would open `C:\dir`).
 */
export function literalPath(dos: string): string {
  if (isDeviceNamespace(dos)) return dos;
  const last = W.basename(dos);
  if (win32TrimPath(dos) === dos && !(last && isDosDeviceName(last))) return dos;
  if (isUncPath(dos)) return `\\\\?\\UNC\\${dos.slice(2)}`;
  return `\\\\?\\${dos}`;
}

/** Undo `toLongPath`: `\\?\C:\x` → `C:\x`, `\\?\UNC\s\h\x` → `\\s\h\x`; anything else unchanged. */
export function fromLongPath(p: string): string {
  if (/^\\\\\?\\[A-Za-z]:\\/.test(p)) return p.slice(4);
  if (/^\\\\\?\\UNC\\/i.test(p)) return `\\\\${p.slice(8)}`;
  return p;
}

/** Format (volume serial, 64-bit file index) as the record's fileId: `vvvvvvvv:iiiiiiiiiiiiiiii` (hex, lower case). */
export function fileIdHex(volumeSerial: number | bigint, fileIndexHigh: number, fileIndexLow: number): string {
  const v = (BigInt(volumeSerial) & 0xffffffffn).toString(16).padStart(8, '0');
  const i = ((BigInt(fileIndexHigh >>> 0) << 32n) | BigInt(fileIndexLow >>> 0)).toString(16).padStart(16, '0');
  return `${v}:${i}`;
}

/**
 * A symbolic link target as CreateSymbolicLinkW should receive it. NTFS does not translate `/` in a
 * reparse target, so a target with forward slashes would never open: turn them into `\` (Node's
 * fs.symlink on Windows does the same). Nothing else changes: relative stays relative.
 */
export function symlinkTargetForWindows(target: string): string {
  return target.replace(/\//g, '\\');
}

/**
 * What a junction to `absoluteTarget` stores: substitute name `\??\C:\dir`, print name `C:\dir`.
 * Only local targets are allowed (a drive path or `\\?\Volume{guid}\...`); UNC is refused, as the
 * I/O manager refuses to follow a junction to a remote path.
 */
export function junctionNames(absoluteTarget: string): { substituteName: string; printName: string } {
  const t = fromLongPath(absoluteTarget);
  const kind = classifyNtPath(t);
  if (kind === 'unc') {
    throw new LinkToolsError('LT_JUNCTION_TARGET_NOT_LOCAL', undefined, undefined, { target: absoluteTarget });
  }
  if (kind === 'drive') {
    let printName = W.normalize(t);
    // `C:\dir\` → `C:\dir`, but a drive root keeps its backslash.
    if (printName.length > 3 && printName.endsWith('\\')) printName = printName.slice(0, -1);
    return { substituteName: dosToNt(printName), printName };
  }
  if (kind === 'volumeGuid') return { substituteName: dosToNt(t), printName: t };
  throw new LinkToolsError('LT_INVALID_ARGUMENT', `A junction needs an absolute local directory path such as C:\\dir, not '${absoluteTarget}'.`, undefined, {
    target: absoluteTarget,
  });
}

/**
 * Where a stored target leads, as an absolute Win32 path, relative to the link's folder (`linkDir`).
 * - relative (`..\x`, `x`) → joined to linkDir; rooted (`\x`) → on linkDir's drive or share;
 * - `C:\x`, `\\srv\share\x`, `\\?\C:\x`, `\??\C:\x` → normalised drive or UNC path;
 * - `\\?\Volume{guid}\x` → kept (openable as is);
 * - drive-relative (`C:x`, depends on a per-drive current directory) and object-manager paths
 *   (`\Device\...`, `\??\pipe\x`) → null: they cannot be expressed as a path here.
 */
export function resolveWindowsTarget(linkDir: string, target: string): string | null {
  if (target.length === 0) return null;
  const kind = classifyNtPath(target);
  switch (kind) {
    case 'relative':
      if (hasDriveLetter(target)) return null; // C:x
      return literalPath(W.resolve(fromLongPath(linkDir), target));
    case 'rooted':
      return literalPath(W.resolve(fromLongPath(linkDir), target));
    case 'drive':
    case 'unc': {
      const dos = ntToDos(target).path;
      return literalPath(W.normalize(dos));
    }
    case 'volumeGuid': {
      const dos = ntToDos(target).path; // \\?\Volume{g}\x
      return dos.replace(/\//g, '\\');
    }
    default:
      return null;
  }
}

/**
 * Join a volume's mount path (`C:\`, or `C:\mnt\vol\` for a volume mounted on a folder) and a
 * volume-relative name from FindFirstFileNameW (`\dir\file.txt`).
 */
export function joinVolumeName(volumePath: string, name: string): string {
  const base = volumePath.endsWith('\\') ? volumePath.slice(0, -1) : volumePath;
  return `${base}${name.startsWith('\\') ? '' : '\\'}${name}`;
}

/** Win32 names compare case-insensitively (NTFS upcase table; JS toUpperCase approximates it). */
export function sameWindowsPath(a: string, b: string): boolean {
  return W.normalize(fromLongPath(a)).toUpperCase() === W.normalize(fromLongPath(b)).toUpperCase();
}

/**
 * The root to put before FindFirstFileNameW's volume-relative names (`\dir\f`), from what
 * GetVolumePathNameW returned: `C:\` and `\\?\C:\` → `C:\`; `\\?\UNC\srv\share\` and `\\srv\share\`
 * → `\\srv\share\`; a volume with no drive letter (`\\?\Volume{guid}\`) stays in that form, which
 * Win32 opens as is; a volume mounted on a folder (`C:\mnt\vol\`) is that folder. Anything else
 * (`\\.\…`, empty) → null: the names cannot be placed.
 */
export function volumeRootForNames(volumePath: string): string | null {
  const v = volumePath.endsWith('\\') ? volumePath : `${volumePath}\\`;
  if (isDriveRoot(v)) return v;
  if (v.startsWith('\\\\?\\') && isDriveRoot(v.slice(4))) return v.slice(4);
  if (/^\\\\\?\\UNC\\[^\\]+\\[^\\]+\\/i.test(v)) return `\\\\${v.slice(8)}`;
  if (/^\\\\\?\\Volume\{[0-9A-Fa-f-]+\}\\/i.test(v)) return v;
  if (isUncPath(v)) return v;
  if (/^[A-Za-z]:\\/.test(v)) return v; // a volume mounted on a folder
  if (/^\\\\\?\\[A-Za-z]:\\/.test(v)) return v.slice(4);
  return null;
}
