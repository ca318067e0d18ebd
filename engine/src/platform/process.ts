/**
 * Facts about this process and its host that are not about a path: which OS and architecture, what
 * link kinds it can make natively, and how to stop when the parent process dies (Linux
 * PR_SET_PDEATHSIG through the FFI the project already ships).
 */
import { loadKoffi, type Koffi } from './native.js';

interface HostInfo {
  platform: string;
  arch: string;
  nodeVersion: string;
  /** Native junctions (Windows). */
  junctions: boolean;
  /** ntfs-3g mounts can carry real NTFS reparse points here (Linux with a working FFI). */
  ntfs3g(nativeOk: boolean): boolean;
}

export function hostInfo(): HostInfo {
  const platform = process.platform;
  return {
    platform,
    arch: process.arch,
    nodeVersion: process.version,
    junctions: platform === 'win32',
    ntfs3g: (nativeOk) => platform === 'linux' && nativeOk,
  };
}

const PR_SET_PDEATHSIG = 1;
const SIGTERM = 15;
let prctl: ((option: number, a2: number, a3: number, a4: number, a5: number) => number) | null | undefined;

/**
 * Ask the kernel to send SIGTERM to this process when its parent dies, so an engine whose caller
 * was killed (SIGKILL of pwsh) stops even inside a long synchronous walk. Linux only; returns false
 * where the call is missing or failed (then the caller's other watches remain: stdin EOF, parent pid).
 */
export function setParentDeathSignal(): boolean {
  if (process.platform !== 'linux') return false;
  if (prctl === undefined) {
    prctl = null;
    const { koffi } = loadKoffi();
    if (koffi) {
      try {
        const libc = (koffi as Koffi).load('libc.so.6');
        // prctl is variadic in glibc; on Linux x86-64 and arm64 integer arguments pass the same way.
        prctl = libc.func('int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)');
      } catch {
        prctl = null;
      }
    }
  }
  if (!prctl) return false;
  try {
    return prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0) === 0;
  } catch {
    return false;
  }
}

/** Whether a process with this pid exists (EPERM: it exists, owned by someone else). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
