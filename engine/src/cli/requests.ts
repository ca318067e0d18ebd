/**
 * Requests come from the command line or, with --stdin, as NDJSON lines so one engine process
 * serves a whole PowerShell pipeline. Each line is a JSON object (with an optional `id` echoed as
 * `requestId`) or a bare JSON string (a path). A bad line is one LT_BAD_REQUEST error; the rest go on.
 */
import { createInterface } from 'node:readline';
import { LinkToolsError } from '../errors.js';
import type { RequestId } from '../core/records.js';
import type { Output } from './output.js';

export type Req = Record<string, unknown> & { id?: RequestId };

export async function forEachRequest(
  useStdin: boolean,
  fromArgs: Req[],
  out: Output,
  handle: (req: Req, id: RequestId) => void,
): Promise<void> {
  const run = (req: Req) => {
    const id = req.id;
    try {
      handle(req, id);
    } catch (e) {
      out.error(e, id, typeof req.path === 'string' ? req.path : typeof req.link === 'string' ? req.link : undefined);
    }
  };
  if (!useStdin) {
    for (const r of fromArgs) run(r);
    out.flush();
    return;
  }
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
      out.error(new LinkToolsError('LT_BAD_REQUEST', `stdin line ${lineNo} is not JSON: ${text.slice(0, 200)}`));
      out.flush();
      continue;
    }
    if (typeof parsed === 'string') run({ path: parsed });
    else if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) run(parsed as Req);
    else out.error(new LinkToolsError('LT_BAD_REQUEST', `stdin line ${lineNo} must be a JSON object or string.`));
    out.flush();
  }
}

/** A required string field of a request; LT_BAD_REQUEST when missing. */
export function field(req: Req, name: string): string {
  const v = req[name];
  if (typeof v !== 'string') throw new LinkToolsError('LT_BAD_REQUEST', `The request has no string '${name}'.`);
  return v;
}
