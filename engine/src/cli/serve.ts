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
 * The records are built by the same core calls and validated against the same generated schema
 * validators as every record the engine writes. A line that is not JSON is answered by one
 * LT_BAD_REQUEST error without a requestId. The process ends at end of input with exit code 0;
 * per-request failures do not change it.
 *
 * Self-contained on purpose (its own line reader and writer, no Output or forEachRequest): the
 * per-command modes and their io are being reshaped, and this protocol must not move with them.
 */
import fs from 'node:fs';
import os from 'node:os';
import { createInterface } from 'node:readline';
import type { ValidateFunction } from 'ajv';
import type { Argv } from 'yargs';
import * as validators from '../contract/validators.js';
import { createLink, type CreateKind } from '../core/create.js';
import { inspect, type InspectOptions } from '../core/info.js';
import { removeLink } from '../core/remove.js';
import { testLink } from '../core/test.js';
import { DEFAULT_POLICY, parsePolicy } from '../core/remote/index.js';
import { errorRecord, withRequestId, type RequestId } from '../core/records.js';
import { LinkToolsError } from '../errors.js';
import { createPlatform } from '../platform/index.js';
import type { Platform } from '../platform/types.js';
import type { CommonArgs } from '../commands/common.js';

type Req = Record<string, unknown> & { id?: RequestId };

export const command = 'serve';
export const describe = 'Serve NDJSON requests {"id","op":"info|test|create|remove",...} from stdin, one answer line each (used by the PowerShell module).';

export function builder(y: Argv<CommonArgs>): Argv<CommonArgs> {
  // Accepted for symmetry with the --stdin modes; answers, errors included, always go to stdout.
  return y.option('errors-inline', { type: 'boolean', default: true, hidden: true });
}

/** A required string field of a request; LT_BAD_REQUEST when missing. */
function field(req: Req, name: string): string {
  const v = req[name];
  if (typeof v !== 'string') throw new LinkToolsError('LT_BAD_REQUEST', `The request has no string '${name}'.`);
  return v;
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

const byType = validators as unknown as Record<string, ValidateFunction>;
const validate = process.env.LINKTOOLS_VALIDATE !== '0';

/** The schema's verdict on a record: null when it is valid (or validation is off). */
function contractError(rec: { recordType: string }): string | null {
  if (!validate) return null;
  const v = byType[rec.recordType];
  if (!v) return `no schema for record type ${rec.recordType}`;
  return v(rec) ? null : JSON.stringify(v.errors);
}

/** Writes one answer line; stdout closed (the module went away) ends the process quietly. */
function writeLine(rec: object): void {
  try {
    fs.writeSync(1, JSON.stringify(rec) + '\n');
  } catch {
    process.exit(3);
  }
}

/** The one answer to one request: its record, or its error record (always carrying the id). */
function answer(platform: Platform, req: Req): object {
  const id = req.id;
  const where = typeof req.path === 'string' ? req.path : typeof req.link === 'string' ? req.link : undefined;
  try {
    const op = typeof req.op === 'string' && Object.prototype.hasOwnProperty.call(OPS, req.op) ? OPS[req.op] : undefined;
    if (!op) {
      throw new LinkToolsError('LT_BAD_REQUEST', `The request's 'op' must be one of ${Object.keys(OPS).join(', ')}, not ${JSON.stringify(req.op ?? null)}.`);
    }
    const rec = withRequestId(op(platform, req), id);
    const broken = contractError(rec);
    if (broken === null) return rec;
    // Details for whoever reads stderr; the request still gets its one answer line.
    try {
      fs.writeSync(2, JSON.stringify(errorRecord(new LinkToolsError('LT_INTERNAL', `engine produced a record that breaks its contract: ${broken}`))) + '\n');
    } catch {
      /* stderr gone too */
    }
    throw new LinkToolsError('LT_INTERNAL', 'The engine produced a record that breaks its contract (details on stderr).');
  } catch (e) {
    return errorRecord(e, id === undefined ? null : id, where);
  }
}

/** The CLI's context (platform built once) when it passes one; else this run's platform. */
export async function run(_argv: unknown, ctx?: unknown): Promise<void> {
  const platform = (ctx as { platform?: Platform } | undefined)?.platform ?? createPlatform();
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    const text = line.trim();
    if (!text) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      writeLine(errorRecord(new LinkToolsError('LT_BAD_REQUEST', `stdin line ${lineNo} is not JSON: ${text.slice(0, 200)}`)));
      continue;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      writeLine(errorRecord(new LinkToolsError('LT_BAD_REQUEST', `stdin line ${lineNo} must be a JSON object {"id","op",...}.`)));
      continue;
    }
    writeLine(answer(platform, parsed as Req));
  }
}
