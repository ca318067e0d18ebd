import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addonPlaces, ensurePrivateDir, insidePkgSnapshot, loadAddonFromPlaces, placeAddon, type AddonEnv } from '../../../engine/src/platform/native-addon.js';
import { platformOnly, requireOrSkip } from '../helpers/capability.js';

const posix = !platformOnly('posix', 'native-addon.test.ts: private directories and file modes');
const isRoot =
  posix && !requireOrSkip('root', typeof process.getuid === 'function' && process.getuid() === 0 ? null : 'chown to another user needs root', 'native-addon.test.ts: squatting checks');
const uid = typeof process.getuid === 'function' ? process.getuid() : -1;

let base: string;
let env: AddonEnv;

beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-native-addon-')); // 0700, ours
  env = { execPath: path.join(base, 'bin', 'linktools'), tmpDir: path.join(base, 'tmp'), uid, platform: process.platform };
  fs.mkdirSync(path.join(base, 'bin'));
  fs.mkdirSync(path.join(base, 'tmp'));
  fs.chmodSync(path.join(base, 'tmp'), 0o1777); // like /tmp: world-writable, sticky
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const mode = (p: string) => fs.lstatSync(p).mode & 0o7777;

describe.runIf(posix)('native addon placement: private directories', () => {
  it('lists the executable folder, $XDG_RUNTIME_DIR, the temp dir, then a fresh temp folder', () => {
    const places = addonPlaces({ ...env, xdgRuntimeDir: path.join(base, 'run') });
    expect(places).toEqual([
      { dir: path.join(base, 'bin', `linktools-native-${uid}`), ephemeral: false },
      { dir: path.join(base, 'run', `linktools-native-${uid}`), ephemeral: false },
      { dir: path.join(base, 'tmp', `linktools-native-${uid}`), ephemeral: false },
      { dir: path.join(base, 'tmp'), ephemeral: true },
    ]);
    // A relative XDG_RUNTIME_DIR is ignored (the spec requires an absolute path).
    expect(addonPlaces({ ...env, xdgRuntimeDir: 'run' }).map((p) => p.dir)).not.toContain(path.resolve('run', `linktools-native-${uid}`));
  });

  it('creates the directory 0700 and owned by us, and accepts it again', () => {
    const dir = path.join(base, 'tmp', 'priv');
    const old = process.umask(0);
    try {
      ensurePrivateDir(dir, env);
    } finally {
      process.umask(old);
    }
    const st = fs.lstatSync(dir);
    expect(st.isDirectory()).toBe(true);
    expect(mode(dir)).toBe(0o700);
    expect(st.uid).toBe(uid);
    expect(() => ensurePrivateDir(dir, env)).not.toThrow();
  });

  it('refuses a symbolic link in its place and leaves the link and its target alone', () => {
    const target = path.join(base, 'elsewhere');
    fs.mkdirSync(target, { mode: 0o700 });
    const dir = path.join(base, 'tmp', 'priv');
    fs.symlinkSync(target, dir);
    expect(() => ensurePrivateDir(dir, env)).toThrow(/symbolic link/);
    expect(fs.readlinkSync(dir)).toBe(target);
    expect(fs.readdirSync(target)).toEqual([]);
  });

  it('refuses an existing directory that is not mode 0700, and does not chmod it', () => {
    const dir = path.join(base, 'tmp', 'priv');
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o755);
    expect(() => ensurePrivateDir(dir, env)).toThrow(/mode 0755, not 0700/);
    expect(mode(dir)).toBe(0o755);
  });

  it('refuses a file in its place', () => {
    const dir = path.join(base, 'tmp', 'priv');
    fs.writeFileSync(dir, 'x');
    expect(() => ensurePrivateDir(dir, env)).toThrow(/not a directory/);
  });

  it.runIf(isRoot)('refuses a directory another user made first (squatting; runs as root only, to chown)', () => {
    const dir = path.join(base, 'tmp', 'priv');
    fs.mkdirSync(dir, { mode: 0o700 });
    fs.chownSync(dir, 65534, 65534);
    expect(() => ensurePrivateDir(dir, env)).toThrow(/owned by uid 65534, not by us/);
    expect(fs.lstatSync(dir).uid).toBe(65534);
  });

  it('refuses a parent that others may write and that is not sticky', () => {
    const open = path.join(base, 'open');
    fs.mkdirSync(open);
    fs.chmodSync(open, 0o777);
    const dir = path.join(open, 'priv');
    expect(() => ensurePrivateDir(dir, env)).toThrow(/writable by other users \(mode 0777\) and not sticky/);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it.runIf(isRoot)('refuses a parent owned by another user that is not sticky (runs as root only, to chown)', () => {
    const theirs = path.join(base, 'theirs');
    fs.mkdirSync(theirs, { mode: 0o755 });
    fs.chownSync(theirs, 65534, 65534);
    expect(() => ensurePrivateDir(path.join(theirs, 'priv'), env)).toThrow(/owned by uid 65534, not by us or root/);
    expect(fs.readdirSync(theirs)).toEqual([]);
  });
});

describe.runIf(posix)('native addon placement: the file', () => {
  it('writes <sha256>-name with exactly the bytes, 0600, and re-uses an identical copy', () => {
    const dir = path.join(base, 'tmp', 'priv');
    ensurePrivateDir(dir, env);
    const bytes = Buffer.from('pretend addon \u0000 bytes');
    const file = placeAddon(dir, 'koffi.node', bytes, env);
    expect(path.basename(file)).toBe(`${sha(bytes).slice(0, 32)}-koffi.node`);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    expect(mode(file)).toBe(0o600);
    const ino = fs.statSync(file).ino;
    expect(placeAddon(dir, 'koffi.node', bytes, env)).toBe(file);
    expect(fs.statSync(file).ino).toBe(ino); // not rewritten
    expect(fs.readdirSync(dir)).toEqual([path.basename(file)]); // no temporary files left
  });

  it('replaces a copy whose bytes were changed', () => {
    const dir = path.join(base, 'tmp', 'priv');
    ensurePrivateDir(dir, env);
    const bytes = Buffer.from('the real addon');
    const file = placeAddon(dir, 'koffi.node', bytes, env);
    fs.writeFileSync(file, 'tampered');
    expect(placeAddon(dir, 'koffi.node', bytes, env)).toBe(file);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('replaces a symbolic link planted under the file name, without writing through it', () => {
    const dir = path.join(base, 'tmp', 'priv');
    ensurePrivateDir(dir, env);
    const bytes = Buffer.from('the real addon');
    const victim = path.join(base, 'victim');
    fs.writeFileSync(victim, 'keep me');
    fs.symlinkSync(victim, path.join(dir, `${sha(bytes).slice(0, 32)}-koffi.node`));
    const file = placeAddon(dir, 'koffi.node', bytes, env);
    expect(fs.lstatSync(file).isFile()).toBe(true);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me');
  });
});

describe.runIf(posix)('native addon placement: loading', () => {
  it('loads from the first usable place: the executable folder when it is ours', () => {
    const bytes = Buffer.from('addon');
    const seen: string[] = [];
    const r = loadAddonFromPlaces('koffi.node', bytes, (f) => (seen.push(f), 'loaded'), env);
    expect(r.value).toBe('loaded');
    expect(path.dirname(r.file)).toBe(path.join(base, 'bin', `linktools-native-${uid}`));
    expect(seen).toEqual([r.file]);
    expect(fs.readFileSync(r.file).equals(bytes)).toBe(true);
  });

  it('moves on when a place is squatted or loading there fails, and names every attempt when all fail', () => {
    const bytes = Buffer.from('addon');
    const binDir = path.join(base, 'bin', `linktools-native-${uid}`);
    fs.symlinkSync(path.join(base, 'elsewhere'), binDir); // squatted
    const tmpDir = path.join(base, 'tmp', `linktools-native-${uid}`);
    const seen: string[] = [];
    // Loading fails in the private temp dir (as on a noexec mount), then works in the fresh folder.
    const r = loadAddonFromPlaces(
      'koffi.node',
      bytes,
      (f) => {
        seen.push(f);
        if (f.startsWith(tmpDir + path.sep)) throw new Error('failed to map segment from shared object');
        expect(fs.readFileSync(f).equals(bytes)).toBe(true);
        return 'ok';
      },
      env,
    );
    expect(r.value).toBe('ok');
    expect(seen).toHaveLength(2);
    expect(path.dirname(seen[0])).toBe(tmpDir);
    expect(path.dirname(path.dirname(r.file))).toBe(path.join(base, 'tmp'));
    expect(path.basename(path.dirname(r.file))).toMatch(/^linktools-native-.{6}$/);
    expect(fs.existsSync(path.dirname(r.file))).toBe(false); // the fresh folder is removed after loading
    expect(fs.readlinkSync(binDir)).toBe(path.join(base, 'elsewhere'));

    let message = '';
    try {
      loadAddonFromPlaces(
        'koffi.node',
        bytes,
        () => {
          throw new Error('no exec here');
        },
        env,
      );
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('cannot place the native addon koffi.node');
    expect(message).toContain(`${binDir}: ${binDir} is a symbolic link`);
    expect(message).toContain(`${tmpDir}: no exec here`);
    expect(message).toContain(`a new folder under ${path.join(base, 'tmp')}: no exec here`);
    expect(fs.readdirSync(path.join(base, 'tmp')).sort()).toEqual([`linktools-native-${uid}`]); // no fresh folders left
  });

  it("loads koffi's real addon from a private place with process.dlopen", () => {
    const src = path.resolve('node_modules/@koromix/koffi-linux-x64/linux_x64/koffi.node');
    if (process.platform !== 'linux' || process.arch !== 'x64' || !fs.existsSync(src)) {
      console.log(`skipped: no linux-x64 koffi addon at ${src}`);
      return;
    }
    const mod = { exports: {} as { version?: string } };
    const r = loadAddonFromPlaces('koffi.node', fs.readFileSync(src), (f) => process.dlopen(mod, f), env);
    expect(typeof mod.exports.version).toBe('string');
    expect(sha(fs.readFileSync(r.file))).toBe(sha(fs.readFileSync(src)));
  });
});

describe('insidePkgSnapshot', () => {
  it('knows the snapshot paths of each platform', () => {
    expect(insidePkgSnapshot('/snapshot/x/koffi.node', 'linux')).toBe(true);
    expect(insidePkgSnapshot('/snapshotx/koffi.node', 'linux')).toBe(false);
    expect(insidePkgSnapshot('/tmp/koffi.node', 'linux')).toBe(false);
    expect(insidePkgSnapshot('C:\\snapshot\\x\\koffi.node', 'linux')).toBe(false);
    expect(insidePkgSnapshot('C:\\snapshot\\x\\koffi.node', 'win32')).toBe(true);
    expect(insidePkgSnapshot('\\\\?\\C:\\snapshot\\x\\koffi.node', 'win32')).toBe(true);
    expect(insidePkgSnapshot('V:/snapshot/x/koffi.node', 'win32')).toBe(true);
    expect(insidePkgSnapshot('C:\\Users\\x\\koffi.node', 'win32')).toBe(false);
  });
});
