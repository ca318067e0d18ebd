/** Builds the platform of one run: posix (with ntfs-3g mounts routed to their backend) or win32. */
import fs from 'node:fs';
import type { Backend, Platform } from './types.js';
import { PosixBackend } from './posix/backend.js';
import { Win32Backend } from './win32/backend.js';
import { Ntfs3gVolumes } from './ntfs3g/backend.js';
import { NtfsDrives } from './ntfs3g/mounts.js';
import { readMountInfo } from './posix/mountinfo.js';

/** Backends that can claim paths (e.g. the ntfs3g backend for paths on an ntfs-3g mount). */
interface PathClaimer {
  claims(p: string): Backend | null;
  /** True when no path can be claimed right now (nothing this claimer serves is mounted); false when unsure. */
  claimsNone?(): boolean;
}

export class RoutingPlatform implements Platform {
  constructor(
    readonly defaultBackend: Backend,
    private readonly routes: readonly PathClaimer[] = [],
  ) {}
  forPath(p: string): Backend {
    for (const c of this.routes) {
      const b = c.claims(p);
      if (b) return b;
    }
    return this.defaultBackend;
  }

  soleBackend(): Backend | null {
    return this.routes.every((c) => c.claimsNone?.() === true) ? this.defaultBackend : null;
  }

  mountPoints(root: string): ReadonlySet<string> | null {
    if (this.routes.length === 0) return new Set(); // nothing to route: every folder inherits
    if (process.platform !== 'linux') return null;
    try {
      if (fs.realpathSync(root) !== root) return null;
    } catch {
      return null;
    }
    const rows = readMountInfo();
    return rows ? new Set(rows.map((r) => r.mountPoint)) : null;
  }
}

interface PlatformOptions {
  /** The drive letters of ntfs-3g mounts (--ntfs-drive; see docs/ntfs.md); checked at once. */
  ntfsDrive?: string;
  /** Where LINKTOOLS_NTFS_DRIVE is read when ntfsDrive is not given (default: this process's environment). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The platform of this process: the win32 backend on Windows, else the POSIX backend, with paths on
 * an ntfs-3g mount routed to the ntfs3g backend on Linux (FFI loads only once such a mount is seen).
 * Throws LT_INVALID_ARGUMENT for a bad ntfsDrive.
 */
export function createPlatform(options: PlatformOptions = {}): Platform {
  const drives = new NtfsDrives(options.ntfsDrive, options.env);
  const routes = process.platform === 'linux' ? [new Ntfs3gVolumes(drives)] : [];
  return new RoutingPlatform(process.platform === 'win32' ? new Win32Backend() : new PosixBackend(), routes);
}
