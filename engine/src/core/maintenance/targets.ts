/**
 * Target arithmetic for link maintenance: pure string work on stored targets, in the path rules of
 * the target's own form. On a backend that stores Windows targets under POSIX paths (ntfs-3g: it has
 * `windowsPath`), a target in Windows form (a drive letter, a UNC path or a backslash) follows Windows
 * rules (case-insensitive, `\` and `/` alike); anything else follows the backend's path rules. On a
 * plain POSIX backend every target is a POSIX path: `a\b` is one file name there, `C:x` a relative one.
 */
import path from 'node:path';
import type { Backend, PathApi } from '../../platform/types.js';
import { hasDriveLetter, isDriveAnchored, win32RootText } from '../../ntfs/ntpath.js';

export function isWindowsForm(target: string): boolean {
  return isDriveAnchored(target) || target.startsWith('\\\\') || target.includes('\\');
}

/** The path rules a stored target follows. */
export function apiFor(b: Backend, target: string): PathApi {
  if (isWin(b.path) || b.windowsPath === undefined || !isWindowsForm(target)) return b.path;
  return path.win32;
}

/** Whether these are Windows path rules (the backend's own API may wrap path.win32). */
export function isWin(api: PathApi): boolean {
  return api.sep === '\\';
}

/**
 * The link's folder in the form `api` speaks: for Windows-form targets on a backend with POSIX paths,
 * its Windows path (ntfs-3g knows it); null when the backend cannot say.
 */
export function linkDirFor(b: Backend, api: PathApi, linkAbs: string): string | null {
  if (api === b.path) return b.path.dirname(linkAbs);
  const win = b.windowsPath?.(linkAbs) ?? null;
  return win === null ? null : path.win32.dirname(win);
}

/** A path without a trailing separator (a root keeps its own). */
function trimTrailing(api: PathApi, p: string): string {
  const root = api.parse(p).root;
  let out = p;
  while (out.length > root.length && (out.endsWith('/') || out.endsWith(api.sep))) out = out.slice(0, -1);
  return out;
}

function eq(api: PathApi, a: string, b: string): boolean {
  return isWin(api) ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** Whether `p` is `dir` or lies below it (after normalising both), in `api`'s rules. */
export function isInside(api: PathApi, dir: string, p: string): boolean {
  const d = trimTrailing(api, api.normalize(dir));
  const x = trimTrailing(api, api.normalize(p));
  if (eq(api, d, x)) return true;
  const withSep = d.endsWith(api.sep) ? d : d + api.sep;
  return eq(api, x.slice(0, withSep.length), withSep);
}

export interface PrefixRule {
  from: string;
  to: string;
}

/** Parses `OLD=NEW` (split at the first `=` that leaves both sides non-empty). */
export function parsePrefixRule(s: string): PrefixRule | null {
  const i = s.indexOf('=');
  if (i <= 0 || i === s.length - 1) return null;
  return { from: s.slice(0, i), to: s.slice(i + 1) };
}

/**
 * Rebase a target onto a new prefix: the first rule whose `from` is the target or a whole-component
 * prefix of it (`D:\Old` matches `D:\Old\x` and `d:/old`, never `D:\Older`). Null when none applies.
 */
export function replacePrefix(b: Backend, target: string, rules: readonly PrefixRule[]): string | null {
  for (const r of rules) {
    const api = apiFor(b, r.from);
    if (apiFor(b, target) !== api) continue;
    const from = trimTrailing(api, r.from);
    const norm = (s: string) => (isWin(api) ? s.replace(/\//g, '\\') : s);
    const t = norm(target);
    const f = norm(from);
    if (eq(api, t, f)) return r.to;
    const fs = f.endsWith(api.sep) ? f : f + api.sep;
    if (eq(api, t.slice(0, fs.length), fs)) {
      const rest = target.slice(fs.length);
      if (r.to.endsWith('/') || r.to.endsWith('\\')) return r.to + rest;
      const sep = r.to.includes('\\') ? '\\' : r.to.includes('/') ? '/' : api.sep;
      return r.to + sep + rest;
    }
  }
  return null;
}

interface TidyResult {
  tidy: string;
  reasons: ('empty-element' | 'dot-element' | 'name-then-dot-dot' | 'trailing-separator')[];
}

/**
 * The target text without elements that do nothing, lexically, and which kinds it had (the audit's
 * messy-target; tidyTarget below goes further, with the link's folder): `a//b`, `./a`,
 * `a/./b`, `a/../b`, `a/`. Leading `..` hops are kept; a lone `.` is tidy.
 */
export function tidyText(target: string, windows: boolean): TidyResult {
  const sepRe = windows ? /[\\/]/ : /\//;
  const sep = windows ? '\\' : '/';
  let root = '';
  let rest = target;
  if (windows) root = win32RootText(target);
  else if (target.startsWith('/')) root = target.startsWith('//') && !target.startsWith('///') ? '//' : '/';
  rest = target.slice(root.length);
  const reasons = new Set<TidyResult['reasons'][number]>();
  if (!windows && root === '/' && /^\/\/+/.test(target)) reasons.add('empty-element');
  const parts = rest.split(sepRe);
  if (parts.length > 1 && parts[parts.length - 1] === '') {
    reasons.add('trailing-separator');
    parts.pop();
  }
  const out: string[] = [];
  for (const p of parts) {
    if (p === '') {
      if (rest !== '') reasons.add('empty-element');
      continue;
    }
    if (p === '.') {
      if (parts.length > 1 || root !== '') reasons.add('dot-element');
      continue;
    }
    if (p === '..' && out.length > 0 && out[out.length - 1] !== '..') {
      out.pop();
      reasons.add('name-then-dot-dot');
      continue;
    }
    if (p === '..' && out.length === 0 && root !== '') {
      reasons.add('name-then-dot-dot'); // "/.." is "/"
      continue;
    }
    out.push(p);
  }
  let tidy = root + out.join(sep);
  if (tidy === '') tidy = '.';
  return { tidy, reasons: [...reasons] };
}

/** The shortest relative path from `dir` to where `target` leads from it ('.' for `dir` itself). */
export function shortestRelative(api: PathApi, dir: string, target: string): string {
  return api.relative(dir, api.resolve(dir, target)) || '.';
}

/** The tidy form of a target: no `.` components, no doubled separators, no needless `..` detours. */
export function tidyTarget(b: Backend, linkAbs: string, target: string): string {
  const api = apiFor(b, target);
  if (api.isAbsolute(target) || hasDriveLetter(target)) {
    return trimTrailing(api, api.normalize(target));
  }
  let best = trimTrailing(api, api.normalize(target));
  if (best === '.' || best === '') best = '.';
  const dir = linkDirFor(b, api, linkAbs);
  if (dir !== null) {
    // `../../dir/f` where `../f` would do: the shortest relative path to the same place.
    const shortest = shortestRelative(api, dir, target);
    if (shortest.length < best.length) best = shortest;
  }
  return best;
}

/** A relative form of an absolute target, from the link's folder; null when the forms differ (another drive). */
export function relativeTarget(b: Backend, linkAbs: string, absTarget: string): string | null {
  const api = apiFor(b, absTarget);
  const dir = linkDirFor(b, api, linkAbs);
  if (dir === null) return null;
  if (isWin(api) && api.parse(dir).root.toLowerCase() !== api.parse(absTarget).root.toLowerCase()) return null;
  const rel = api.relative(dir, absTarget);
  if (api.isAbsolute(rel)) return null;
  return rel || '.';
}

/** The absolute form of a relative target as the link's file system stores targets (Windows form on NTFS). */
export function absoluteTarget(b: Backend, linkAbs: string, relTarget: string): string {
  const win = isWin(b.path) ? null : (b.windowsPath?.(linkAbs) ?? null);
  if (win !== null) return path.win32.resolve(path.win32.dirname(win), relTarget);
  return b.path.resolve(b.path.dirname(linkAbs), relTarget);
}

/** A target moved with its link: the relative target that reaches the same place from the new folder. */
export function rebaseRelative(b: Backend, oldLink: string, newLink: string, relTarget: string): string | null {
  const abs = absoluteTarget(b, oldLink, relTarget);
  const api = apiFor(b, abs);
  const rel = relativeTarget(b, newLink, abs);
  if (rel === null) return null;
  // Keep the separator style of the stored target.
  return isWin(api) && !relTarget.includes('\\') && relTarget.includes('/') ? rel.replace(/\\/g, '/') : rel;
}
