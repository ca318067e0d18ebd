/**
 * Loads the FFI library (koffi) on first use. Only the ntfs3g and win32 backends and `doctor` need
 * native calls; a plain POSIX run never loads it.
 *
 * In the packaged executable koffi's addon sits in pkg's snapshot and must be copied to a real file
 * first; native-addon.ts chooses a safe private place for it (never ~/.cache unless asked through
 * PKG_NATIVE_CACHE_PATH), so the engine keeps its native part for a user without a writable home.
 */
import { createRequire } from 'node:module';
import { hookSnapshotAddons } from './native-addon.js';

// In the CommonJS bundle `require` exists; under ESM (tests) build one.
declare const require: NodeRequire | undefined;
const req: NodeRequire = typeof require === 'function' ? require : createRequire(import.meta.url);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Koffi = any;

let cached: { koffi: Koffi | null; error: string | null } | undefined;

export function loadKoffi(): { koffi: Koffi | null; error: string | null } {
  if (!cached) {
    try {
      if (isPackaged()) hookSnapshotAddons();
      cached = { koffi: req('koffi'), error: null };
    } catch (e) {
      cached = { koffi: null, error: (e as Error).message };
    }
  }
  return cached;
}

/** Proves the FFI works end to end: load the C library (or kernel32) and call it. */
export function probeNative(): { ok: boolean; error: string | null } {
  const { koffi, error } = loadKoffi();
  if (!koffi) return { ok: false, error };
  try {
    if (process.platform === 'win32') {
      const k32 = koffi.load('kernel32.dll');
      const f = k32.func('uint32_t __stdcall GetCurrentProcessId()');
      return { ok: f() === process.pid, error: null };
    }
    const libc = koffi.load(process.platform === 'darwin' ? 'libc.dylib' : 'libc.so.6');
    const f = libc.func('int getpid()');
    return { ok: f() === process.pid, error: null };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

export function isPackaged(): boolean {
  try {
    return Boolean((req('node:sea') as { isSea(): boolean }).isSea());
  } catch {
    return false;
  }
}
