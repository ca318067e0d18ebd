/** Picks the platform for this process: posix (with ntfs-3g mounts routed to their backend) or win32. */
import fs from 'node:fs';
import type { Backend, Platform } from './types.js';
import { PosixBackend } from './posix/backend.js';
import { Win32Backend } from './win32/backend.js';
import { ntfs3gClaimer } from './ntfs3g/backend.js';
import { readMountInfo } from './ntfs3g/mounts.js';

/** Backends that can claim paths (e.g. the ntfs3g backend for paths on an ntfs-3g mount). */
interface PathClaimer {
  claims(p: string): Backend | null;
}

const claimers: PathClaimer[] = [];

/** Let an optional backend (ntfs3g) claim the paths it serves. */
function registerClaimer(c: PathClaimer): void {
  claimers.push(c);
}

// Paths on an ntfs-3g mount get real NTFS reparse points (FFI loads only once such a mount is seen).
if (process.platform === 'linux') registerClaimer(ntfs3gClaimer);

export class RoutingPlatform implements Platform {
  constructor(
    readonly defaultBackend: Backend,
    private readonly routes: PathClaimer[] = claimers,
  ) {}
  forPath(p: string): Backend {
    for (const c of this.routes) {
      const b = c.claims(p);
      if (b) return b;
    }
    return this.defaultBackend;
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

let current: Platform | undefined;

export function getPlatform(): Platform {
  if (!current) current = new RoutingPlatform(process.platform === 'win32' ? new Win32Backend() : new PosixBackend());
  return current;
}

/** For tests and the win32 entry: install another platform. */
export function setPlatform(p: Platform): void {
  current = p;
}
