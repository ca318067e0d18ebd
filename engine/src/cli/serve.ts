/**
 * `linktools serve`: one engine process for many commands. The PowerShell module keeps one of these
 * per runspace and sends every per-item cmdlet call (Get-LinkInfo, Test-Link, New-Link, Remove-Link)
 * to it, so a loop of separate calls costs one engine start instead of one per call.
 *
 * Protocol: NDJSON on stdin, one request per line,
 *   {"id": N, "op": "info"|"test"|"create"|"remove", ...that op's fields}
 * answered by exactly one line on stdout per request, in order, carrying the id as `requestId`: the
 * op's record (linkInfo, linkTest, linkInfo, linkRemoved) or an error record. Errors are always
 * written inline (stdout), so a caller that counts lines never loses one. The fields per op are the
 * ones the op's own `--stdin` mode reads, plus what its command-line options would say:
 *   info    path; maxHops, remoteClient, symlinkEvaluation (string or array), server, share
 *   test    path
 *   create  link, target, kind; targetType (file|dir|directory), force
 *   remove  path
 * The records are built and validated exactly as in those modes (same core calls, same Output). The
 * process ends at end of input with exit code 0; per-request failures do not change it.
 */
import os from 'node:os';
import type { Argv } from 'yargs';
import { createLink, type CreateKind } from '../core/create.js';
import { inspect, type InspectOptions } from '../core/info.js';
import { removeLink } from '../core/remove.js';
import { testLink } from '../core/test.js';
import { DEFAULT_POLICY, parsePolicy } from '../core/remote.js';
import { withRequestId } from '../core/records.js';
import { LinkToolsError } from '../errors.js';
import { getPlatform } from '../platform/index.js';
import type { Platform } from '../platform/types.js';
import type { CommonArgs } from '../commands/common.js';
import type { Output } from './output.js';
import { field, forEachRequest, type Req } from './requests.js';

export const command = 'serve';
export const describe = 'Serve NDJSON requests {"id","op":"info|test|create|remove",...} from stdin, one answer line each (used by the PowerShell module).';

export function builder(y: Argv<CommonArgs>): Argv<CommonArgs> {
  // Answers, errors included, always go to stdout: one line per request.
  return y.option('errors-inline', { type: 'boolean', default: true, hidden: true });
}

type Op = (platform: Platform, req: Req) => { recordType: string };

const optionalString = (req: Req, name: string): string | undefined => {
  const v = req[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new LinkToolsError('LT_BAD_REQUEST', `The request's '${name}' must be a string.`);
  return v;
};

/** What `info --max-hops --remote-client --symlink-evaluation --server --share` would say. */
function infoOptions(req: Req): InspectOptions {
  const opts: InspectOptions = {};
  if (req.maxHops !== undefined && req.maxHops !== null) {
    if (typeof req.maxHops !== 'number' || !Number.isInteger(req.maxHops) || req.maxHops < 0) {
      throw new LinkToolsError('LT_BAD_REQUEST', "The request's 'maxHops' must be a whole number.");
    }
    opts.maxHops = req.maxHops;
  }
  const client = optionalString(req, 'remoteClient');
  const evaluation = req.symlinkEvaluation;
  if (client === undefined && (evaluation === undefined || evaluation === null)) return opts;
  if (!client) throw new LinkToolsError('LT_INVALID_ARGUMENT', 'symlinkEvaluation needs remoteClient.');
  let policy;
  if (evaluation === undefined || evaluation === null) policy = { ...DEFAULT_POLICY };
  else if (typeof evaluation === 'string') policy = parsePolicy(evaluation);
  else if (Array.isArray(evaluation) && evaluation.every((e) => typeof e === 'string')) policy = parsePolicy(evaluation.join(','));
  else throw new LinkToolsError('LT_BAD_REQUEST', "The request's 'symlinkEvaluation' must be a string or an array of strings.");
  const shareSpec = optionalString(req, 'share');
  let share: { name: string; path: string } | undefined;
  if (shareSpec !== undefined) {
    const m = /^([^=]+)=(.+)$/.exec(shareSpec);
    if (!m) throw new LinkToolsError('LT_INVALID_ARGUMENT', `share must be NAME=PATH, not '${shareSpec}'.`);
    share = { name: m[1]!, path: m[2]! };
  }
  opts.remote = { server: optionalString(req, 'server') ?? os.hostname(), ctx: { mode: 'remote', client, policy, share } };
  return opts;
}

function targetType(t: unknown): 'file' | 'directory' | undefined {
  if (t === undefined || t === null) return undefined;
  if (t === 'file') return 'file';
  if (t === 'dir' || t === 'directory') return 'directory';
  throw new LinkToolsError('LT_INVALID_ARGUMENT', `Unknown target type '${String(t)}': use file or dir.`);
}

const OPS: Record<string, Op> = {
  info: (platform, req) => inspect(platform, field(req, 'path'), infoOptions(req)),
  test: (platform, req) => testLink(platform, field(req, 'path')),
  remove: (platform, req) => removeLink(platform, field(req, 'path')),
  create: (platform, req) => {
    if (req.force !== undefined && typeof req.force !== 'boolean') throw new LinkToolsError('LT_BAD_REQUEST', "The request's 'force' must be true or false.");
    return createLink(platform, {
      link: field(req, 'link'),
      target: field(req, 'target'),
      kind: field(req, 'kind') as CreateKind,
      targetType: targetType(req.targetType),
      force: req.force === true,
    });
  },
};

export async function run(_argv: CommonArgs, out: Output): Promise<void> {
  const platform = getPlatform();
  await forEachRequest(true, [], out, (req, id) => {
    const op = typeof req.op === 'string' && Object.prototype.hasOwnProperty.call(OPS, req.op) ? OPS[req.op] : undefined;
    if (!op) {
      throw new LinkToolsError('LT_BAD_REQUEST', `The request's 'op' must be one of ${Object.keys(OPS).join(', ')}, not ${JSON.stringify(req.op ?? null)}.`);
    }
    const rec = withRequestId(op(platform, req), id);
    // A record that breaks its contract is not written (Output reports it on stderr and raises the
    // exit code); the request must still get its one answer line.
    out.exitCode = 0;
    out.record(rec);
    if (out.exitCode !== 0) throw new LinkToolsError('LT_INTERNAL', 'The engine produced a record that breaks its contract (details on stderr).');
  });
  // A failed request is answered, not a failed serve: the exit code says only whether serving worked.
  out.exitCode = 0;
}
