/**
 * Requests come from the command line or, with --stdin, as NDJSON lines so one engine process
 * serves a whole PowerShell pipeline. Each line is a JSON object (with an optional `id` echoed as
 * `requestId`) or a bare JSON string (a path); a blank line is no request.
 *
 * Every request gets exactly one answer line, and a request is checked completely before anything
 * is done with it: its `id` (a string, an integer or null, as the record contract allows), its
 * fields (known names, the right JSON types, the required ones present). A bad request is one
 * LT_BAD_REQUEST error record; the rest go on.
 */
import { createInterface } from 'node:readline';
import { LinkToolsError } from '../errors.js';
import { withRequestId, type RequestId } from '../core/records.js';
import type { Req, RequestShape } from '../commands/common.js';
import { StdoutClosed, type Output } from './output.js';

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number' && !Number.isInteger(v)) return `the number ${v}`;
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

const validId = (v: unknown): v is RequestId => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isSafeInteger(v));

/** Check a request's fields against the command's shape; LT_BAD_REQUEST names the first problem. */
function checkRequest(req: Req, shape: RequestShape, where: string): void {
  if (shape.validate) {
    shape.validate(req, where);
    return;
  }
  for (const [k, v] of Object.entries(req)) {
    if (k === 'id') continue;
    const want = shape.fields[k];
    if (!want) {
      throw new LinkToolsError('LT_BAD_REQUEST', `${where} has an unknown field '${k}' (known: id, ${Object.keys(shape.fields).join(', ')}).`);
    }
    if (typeof v !== want) throw new LinkToolsError('LT_BAD_REQUEST', `${where}: '${k}' must be a ${want}, not ${describeValue(v)}.`);
  }
  for (const k of shape.required) {
    if (req[k] === undefined) throw new LinkToolsError('LT_BAD_REQUEST', `${where} has no string '${k}'.`);
  }
}

export async function serveRequests(
  out: Output,
  fromArgs: Req[],
  shape: RequestShape,
  answer: (req: Req) => { recordType: string },
  /** With --stdin: the stream of NDJSON requests (then `fromArgs` is empty). */
  input: NodeJS.ReadableStream | null,
): Promise<void> {
  const one = (req: Req, where: string) => {
    const userPath = typeof req[shape.pathField] === 'string' ? (req[shape.pathField] as string) : undefined;
    let id: RequestId;
    if (Object.hasOwn(req, 'id')) {
      if (!validId(req.id)) {
        // The id cannot be echoed (it would break the contract), so the answer carries none.
        out.error(new LinkToolsError('LT_BAD_REQUEST', `${where}: 'id' must be a string, a whole number or null, not ${describeValue(req.id)}; nothing was done.`), { path: userPath });
        return;
      }
      id = req.id;
    }
    try {
      checkRequest(req, shape, where);
      const rec = withRequestId(answer(req), id);
      const why = out.contractError(rec);
      if (why !== null) throw new LinkToolsError('LT_INTERNAL', `engine produced a record that breaks its contract: ${why}`);
      out.record(rec);
    } catch (e) {
      if (e instanceof StdoutClosed) throw e;
      out.error(e, { requestId: id, path: userPath });
    }
  };

  if (!input) {
    for (const r of fromArgs) one(r, 'the request');
    out.flush();
    return;
  }
  const rl = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    const text = line.trim();
    if (!text) continue;
    const where = `stdin line ${lineNo}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
      out.error(new LinkToolsError('LT_BAD_REQUEST', `${where} is not JSON: ${text.slice(0, 200)}`));
    }
    if (typeof parsed === 'string') one({ [shape.pathField]: parsed }, where);
    else if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) one(parsed as Req, where);
    else if (parsed !== undefined) out.error(new LinkToolsError('LT_BAD_REQUEST', `${where} must be a JSON object or string, not ${describeValue(parsed)}.`));
    out.flush();
  }
}
