/**
 * A fresh NTFS image per test file, mounted by ntfs-3g in the foreground (no_detach) so unmounting
 * can wait for the driver to exit and flush before ntfsinfo/ntfscat read the image.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resetMountCache } from '../../../../engine/src/platform/ntfs3g/mounts.js';

/** How long mounting or unmounting may take before the test fails as hung (generous: a loaded machine is slow). */
const MOUNT_HANG_GUARD_MS = 90_000;

function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin', '/usr/bin'])) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

/** Why NTFS image tests cannot run here, or null when they can. */
export function ntfsUnavailable(): string | null {
  const missing = ['mkntfs', 'ntfs-3g', 'ntfsinfo', 'ntfscat', 'setfattr', 'getfattr'].filter((c) => !which(c));
  if (missing.length) return `missing tools: ${missing.join(', ')} (Debian packages ntfs-3g and attr; build/tools.sh installs them)`;
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (!fs.existsSync('/dev/fuse')) return '/dev/fuse is absent (no FUSE in this container)';
  try {
    fs.accessSync('/dev/fuse', fs.constants.R_OK | fs.constants.W_OK);
  } catch {
    return '/dev/fuse is not readable and writable by this user';
  }
  const setuid = (fs.statSync(which('ntfs-3g')!).mode & 0o4000) !== 0;
  if (process.getuid?.() !== 0 && !setuid) return 'ntfs-3g mounts an image only as root (or when installed setuid root)';
  return null;
}

/** Print a reason loudly so a skip is never silent. */
export function announceSkip(file: string, reason: string): void {
  const bar = '!'.repeat(80);
  process.stderr.write(`\n${bar}\n!! SKIPPED ${file}: ${reason}\n${bar}\n`);
}

export interface NtfsImage {
  dir: string;
  img: string;
  mnt: string;
  mount(): Promise<void>;
  unmount(): Promise<void>;
  /** ntfsinfo -F <path> on the (unmounted) image. */
  ntfsinfo(winPath: string): string;
  /** The raw $REPARSE_POINT attribute (0xC0) of a path, read with ntfscat from the unmounted image. */
  reparseAttr(winPath: string): Buffer;
  cleanup(): Promise<void>;
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'buffer' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.toString()}`);
  return r.stdout.toString('latin1');
}

function mountedDevDiffers(mnt: string): boolean {
  try {
    return fs.statSync(mnt).dev !== fs.statSync(path.dirname(mnt)).dev;
  } catch {
    return false;
  }
}

export async function makeImage(sizeMb = 64): Promise<NtfsImage> {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lt-ntfs-')));
  const img = path.join(dir, 'volume.img');
  const mnt = path.join(dir, 'mnt');
  fs.mkdirSync(mnt);
  run('truncate', ['-s', `${sizeMb}M`, img]);
  run(which('mkntfs')!, ['-F', '-Q', '-L', 'LinkTools', img]);
  let child: ChildProcess | null = null;

  const image: NtfsImage = {
    dir,
    img,
    mnt,
    async mount() {
      const c = spawn(which('ntfs-3g')!, ['-o', 'no_detach', img, mnt], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      c.stderr!.on('data', (d) => (err += String(d)));
      child = c;
      // Hang guard only (never the thing tested): a driver that neither mounts nor exits in this long is stuck.
      const guard = Date.now() + MOUNT_HANG_GUARD_MS;
      while (!mountedDevDiffers(mnt)) {
        if (c.exitCode !== null) throw new Error(`ntfs-3g exited (${c.exitCode}): ${err}`);
        if (Date.now() > guard) {
          c.kill('SIGKILL');
          throw new Error(`hang guard: ntfs-3g neither mounted ${img} nor exited in ${MOUNT_HANG_GUARD_MS / 1000} s; it was killed. stderr: ${err || '(empty)'}`);
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      resetMountCache();
    },
    async unmount() {
      const c = child;
      if (!c) return;
      child = null;
      const exited = c.exitCode !== null ? Promise.resolve() : new Promise<void>((r) => c.once('exit', () => r()));
      let r = spawnSync('umount', [mnt], { encoding: 'utf8' });
      const guard = Date.now() + MOUNT_HANG_GUARD_MS; // hang guard: EBUSY while an entry is still open
      while (r.status !== 0 && Date.now() < guard) {
        await new Promise((res) => setTimeout(res, 100));
        r = spawnSync('umount', [mnt], { encoding: 'utf8' });
      }
      if (r.status !== 0) throw new Error(`hang guard: umount ${mnt} still failed after ${MOUNT_HANG_GUARD_MS / 1000} s: ${r.stderr}`);
      await exited; // ntfs-3g has flushed and closed the image
      resetMountCache();
    },
    ntfsinfo(winPath: string) {
      if (child) throw new Error('unmount the image before reading it with ntfsinfo');
      const out = run(which('ntfsinfo')!, ['-t', '-F', winPath, img]);
      if (!out.includes('Dumping Inode')) throw new Error(`ntfsinfo found no ${winPath}:\n${out}`);
      return out;
    },
    reparseAttr(winPath: string) {
      if (child) throw new Error('unmount the image before reading it with ntfscat');
      const r = spawnSync(which('ntfscat')!, ['-a', '0xc0', img, winPath]);
      if (r.status !== 0) throw new Error(`ntfscat -a 0xc0 ${winPath} failed: ${r.stderr.toString()}`);
      return r.stdout;
    },
    async cleanup() {
      await image.unmount().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await image.mount();
  return image;
}

// ---------------------------------------------------------------------------------------------
// Reparse buffers built by hand in the test (independent of the engine's codec), and a reader for
// what ntfscat returns.

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}
const utf16 = (s: string) => Buffer.from(s, 'utf16le');

function header(tag: number, body: Buffer): Buffer {
  return Buffer.concat([u32(tag), u16(body.length), u16(0), body]);
}

export function handJunction(sub: string, print: string): Buffer {
  const s = utf16(sub);
  const p = utf16(print);
  const body = Buffer.concat([u16(0), u16(s.length), u16(s.length + 2), u16(p.length), s, u16(0), p, u16(0)]);
  return header(0xa0000003, body);
}

export function handSymlink(sub: string, print: string, relative: boolean): Buffer {
  const s = utf16(sub);
  const p = utf16(print);
  const body = Buffer.concat([u16(p.length), u16(s.length), u16(0), u16(p.length), u32(relative ? 1 : 0), p, s]);
  return header(0xa000000c, body); // print name first this time: offsets, not order, must be honoured
}

export function handAppExecLink(pkg: string, app: string, target: string): Buffer {
  return header(0x8000001b, Buffer.concat([u32(3), utf16(`${pkg}\0${app}\0${target}\0` + '0\0')]));
}

export function handLxSymlink(target: string): Buffer {
  return header(0xa000001d, Buffer.concat([u32(2), Buffer.from(target, 'utf8')]));
}

export function handOpaque(tag: number, data: Buffer): Buffer {
  return header(tag, data);
}

export interface NamesOnDisk {
  tag: number;
  substituteName: string;
  printName: string;
  flags: number | null;
}

/** Parse a symlink or mount point buffer as stored on disk (for checking what the engine wrote). */
export function readNames(buf: Buffer): NamesOnDisk {
  const tag = buf.readUInt32LE(0);
  const withFlags = tag === 0xa000000c;
  const start = withFlags ? 20 : 16;
  const name = (off: number, len: number) => buf.subarray(start + off, start + off + len).toString('utf16le');
  return {
    tag,
    substituteName: name(buf.readUInt16LE(8), buf.readUInt16LE(10)),
    printName: name(buf.readUInt16LE(12), buf.readUInt16LE(14)),
    flags: withFlags ? buf.readUInt32LE(16) : null,
  };
}

/** setfattr -h -n system.ntfs_reparse_data -v 0x<hex> <path> (the attr package's tool, not the engine). */
export function setReparse(p: string, buf: Buffer): void {
  run(which('setfattr')!, ['-h', '-n', 'system.ntfs_reparse_data', '-v', `0x${buf.toString('hex')}`, p]);
}

/** setfattr -h -n system.ntfs_attrib_be: the entry's FILE_ATTRIBUTE_* bits (big-endian, as ntfs-3g wants them). */
export function setAttrib(p: string, attrib: number): void {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(attrib >>> 0);
  run(which('setfattr')!, ['-h', '-n', 'system.ntfs_attrib_be', '-v', `0x${b.toString('hex')}`, p]);
}

/** Make an empty folder (`dir`) or file at `p` and set a hand-built reparse buffer on it. */
export function plantReparse(p: string, dir: boolean, buf: Buffer): void {
  if (dir) fs.mkdirSync(p);
  else fs.writeFileSync(p, '');
  setReparse(p, buf);
}

/** getfattr -h of one attribute, as a Buffer (null when absent). */
export function getAttr(p: string, name: string): Buffer | null {
  const r = spawnSync(which('getfattr')!, ['-h', '--absolute-names', '-e', 'hex', '-n', name, p], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const m = new RegExp(`${name.replace(/\./g, '\\.')}=0x([0-9a-f]*)`).exec(r.stdout);
  return m ? Buffer.from(m[1]!, 'hex') : null;
}
