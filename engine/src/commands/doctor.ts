/** `linktools doctor`: what this engine is and what it can do on this machine. */
import type { Argv } from 'yargs';
import type { Doctor } from '../contract/types.js';
import { isPackaged, probeNative } from '../platform/native.js';
import { hostInfo } from '../platform/process.js';
import { ENGINE_VERSION, SCHEMA_VERSION } from '../version.js';
import type { CommandContext, CommonArgs } from './common.js';

export const command = 'doctor';
export const describe = 'Report the engine version, platform, packaging and native (FFI) support.';

export function builder(y: Argv<CommonArgs>): Argv<CommonArgs> {
  return y;
}

export async function run(_argv: CommonArgs, { platform, io }: CommandContext): Promise<void> {
  const native = probeNative();
  const host = hostInfo();
  const b = platform.defaultBackend;
  const rec: Doctor = {
    recordType: 'doctor',
    schemaVersion: SCHEMA_VERSION,
    engineVersion: ENGINE_VERSION,
    platform: host.platform,
    arch: host.arch,
    nodeVersion: host.nodeVersion,
    packaged: isPackaged(),
    nativeFfi: native.ok,
    nativeError: native.error,
    symlinkPrivilege: b.canCreateSymlinks?.() ?? null,
    capabilities: {
      symlink: true,
      hardlink: true,
      junction: host.junctions,
      ntfs3g: host.ntfs3g(native.ok),
    },
  };
  io.record(rec);
}
