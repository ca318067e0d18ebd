/**
 * Skips that are never silent, and never a way to hide a regression in CI.
 *
 * - `requireOrSkip(capability, reason)`: `reason` is why the capability is missing here (null: it is
 *   present). Missing, the reason is printed and the caller skips; but under CI=true, a capability
 *   that the CI machine kind is expected to have (REQUIRED_IN_CI: root + FUSE for NTFS images, GNU
 *   find, pwsh, Wine, Chromium, …) is required: requireOrSkip throws, so the test file fails to load
 *   and the run fails instead of reporting a skip.
 * - `platformOnly(platform, what)`: tests of another operating system (Windows-only tests on Linux)
 *   are skipped with a printed reason, and are not a missing capability, in CI or not.
 *
 * Both return true when the caller must skip: `describe.skipIf(requireOrSkip('ntfs', reason))(...)`.
 */

/** What the CI machine kind (Linux, root, FUSE, build/tools.sh run) always has. */
export const REQUIRED_IN_CI = ['ntfs', 'gnu-find', 'pwsh', 'wine', 'chromium', 'script', 'chattr', 'proc', 'root', 'tmpfs', 'engine-exe'] as const;
export type Capability = (typeof REQUIRED_IN_CI)[number];

export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true|yes)$/i.test(env.CI ?? '');
}

function loud(line: string): void {
  const bar = '!'.repeat(80);
  process.stderr.write(`\n${bar}\n!! ${line}\n${bar}\n`);
}

/** Thrown under CI=true when a required capability is missing. */
export class MissingCapability extends Error {
  constructor(capability: string, reason: string) {
    super(`CI=true requires the capability "${capability}", but it is missing here: ${reason}. Install it (build/tools.sh) or run outside CI to skip.`);
    this.name = 'MissingCapability';
  }
}

export function requireOrSkip(capability: Capability, reason: string | null, where = 'test', env: NodeJS.ProcessEnv = process.env): boolean {
  if (!(REQUIRED_IN_CI as readonly string[]).includes(capability)) throw new Error(`unknown capability "${capability}"`);
  if (reason === null) return false;
  if (inCi(env)) throw new MissingCapability(capability, `${where}: ${reason}`);
  loud(`SKIPPED ${where}: needs ${capability}: ${reason}`);
  return true;
}

/** True (and the reason printed) when this is not `platform`: such tests are skipped everywhere else. */
export function platformOnly(platform: 'win32' | 'posix' | 'linux', what: string, current: NodeJS.Platform = process.platform): boolean {
  const here = platform === 'posix' ? current !== 'win32' : current === platform;
  if (here) return false;
  loud(`SKIPPED ${what}: runs only on ${platform === 'win32' ? 'Windows' : platform}, this is ${current}`);
  return true;
}
