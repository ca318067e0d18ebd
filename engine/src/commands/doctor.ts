/** `linktools doctor`: what this engine is and what it can do on this machine. */
import type { Argv } from 'yargs';
import type { Doctor } from '../contract/types.js';
import { getPlatform } from '../platform/index.js';
import { isPackaged, probeNative } from '../platform/native.js';
import { ENGINE_VERSION, SCHEMA_VERSION } from '../version.js';
import type { Output } from '../cli/output.js';
import type { CommonArgs } from './common.js';

export const command = 'doctor';
export const describe = 'Report the engine version, platform, packaging and native (FFI) support.';

export function builder(y: Argv<CommonArgs>): Argv<CommonArgs> {
  return y;
}

export async function run(_argv: CommonArgs, out: Output): Promise<void> {
  const native = probeNative();
  const b = getPlatform().defaultBackend;
  const rec: Doctor = {
    recordType: 'doctor',
    schemaVersion: SCHEMA_VERSION,
    engineVersion: ENGINE_VERSION,
    platform: process.platform,
    arch: process.arch,
    nodeVersion: process.version,
    packaged: isPackaged(),
    nativeFfi: native.ok,
    nativeError: native.error,
    symlinkPrivilege: b.canCreateSymlinks?.() ?? null,
    capabilities: {
      symlink: true,
      hardlink: true,
      junction: process.platform === 'win32',
      ntfs3g: process.platform === 'linux' && native.ok,
    },
  };
  out.record(rec);
}
