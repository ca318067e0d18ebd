/**
 * Backends for the maintenance mutation tests that the mock alone does not give: a mock backend with
 * one call overridden (an lstat that is refused, a listing that fails, link data planted as a
 * backend would return it), and an ntfs-3g stand-in (POSIX paths under /w, links whose stored
 * targets are in Windows form C:\w\…, with the link's Windows path known), as ntfs-3g serves NTFS.
 */
import path from 'node:path';
import type { MockPlatform } from '../../../../engine/src/platform/mock/backend.js';
import type { Backend, Platform } from '../../../../engine/src/platform/types.js';

/** A platform whose backend is the mock's, with some calls replaced. */
export function overriding(m: MockPlatform, over: Partial<Record<keyof Backend, unknown>>): Platform & { b: Backend } {
  const b = Object.assign(Object.create(m.defaultBackend) as Backend, over);
  return { b, defaultBackend: b, forPath: () => b };
}

const toWin = (p: string) => 'C:' + p.replace(/\//g, '\\');
const fromWin = (w: string) => w.replace(/^[A-Za-z]:/, '').replace(/\\/g, '/');

/**
 * ntfs-3g stand-in over a POSIX-mode mock: /x/y is C:\x\y on the volume; a Windows-form target is
 * resolved on the volume (C:\… maps back to /…), any other target as POSIX text.
 */
export function ntfsLike(m: MockPlatform): Platform & { b: Backend } {
  const inner = m.defaultBackend;
  const winForm = (t: string) => /^[A-Za-z]:/.test(t) || t.includes('\\');
  return overriding(m, {
    windowsPath: (p: string) => toWin(p),
    resolveTarget: (dir: string, t: string) => (winForm(t) ? fromWin(path.win32.resolve(toWin(dir), t)) : inner.resolveTarget(dir, t)),
  });
}

/**
 * Three backends that only answer path questions, for the pure target arithmetic: POSIX, Windows, and
 * ntfs-3g (POSIX paths whose links store Windows-form targets; /mnt/c/… is C:\… on the volume, other
 * paths have no Windows path).
 */
export const posixB = { path: path.posix } as unknown as Backend;
export const winB = { path: path.win32 } as unknown as Backend;
export const ntfsB = {
  path: path.posix,
  windowsPath: (p: string) => (p === '/mnt/c' || p.startsWith('/mnt/c/') ? `C:\\${p.slice(7).replace(/\//g, '\\')}` : null),
} as unknown as Backend;
