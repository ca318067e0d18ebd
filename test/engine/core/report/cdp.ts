/* eslint-disable @typescript-eslint/no-explicit-any -- DevTools-protocol and SARIF JSON of any shape in test assertions */
/**
 * A minimal Chrome DevTools Protocol client over --remote-debugging-pipe (fd 3 in, fd 4 out, JSON
 * messages ended by NUL), so tests can drive headless Chromium (keys, clicks, evaluation, console
 * errors, screenshots) with no extra package.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export interface Page {
  send(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Evaluate an expression in the page; returns its JSON value. */
  evaluate<T = unknown>(expression: string): Promise<T>;
  /** Press a key (keyDown + keyUp) as a user would, to the focused element. */
  press(key: 'Tab' | 'Enter' | ' ', shift?: boolean): Promise<void>;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
  close(): Promise<void>;
}

const KEYS = {
  Tab: { key: 'Tab', code: 'Tab', windowsVirtualKeyCode: 9 },
  Enter: { key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' },
  ' ': { key: ' ', code: 'Space', windowsVirtualKeyCode: 32, text: ' ' },
} as const;

export async function openPage(chromium: string, url: string, profile: string, size = { width: 1280, height: 900 }): Promise<Page> {
  const child: ChildProcess = spawn(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      '--remote-debugging-pipe',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  const listeners: ((m: Record<string, unknown>) => void)[] = [];
  let buf = '';
  fromBrowser.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    let at: number;
    while ((at = buf.indexOf('\0')) >= 0) {
      const msg = JSON.parse(buf.slice(0, at)) as Record<string, unknown>;
      buf = buf.slice(at + 1);
      if (typeof msg.id === 'number' && waiting.has(msg.id)) {
        const w = waiting.get(msg.id)!;
        waiting.delete(msg.id);
        if (msg.error) w.reject(new Error(JSON.stringify(msg.error)));
        else w.resolve((msg.result as Record<string, unknown>) ?? {});
      } else for (const l of listeners) l(msg);
    }
  });
  const raw = (method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });

  const { targetId } = (await raw('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
  const { sessionId } = (await raw('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
  const send = (method: string, params: Record<string, unknown> = {}) => raw(method, params, sessionId);
  const errors: string[] = [];
  let loaded: (() => void) | null = null;
  listeners.push((m) => {
    if (m.sessionId !== sessionId) return;
    const p = m.params as Record<string, any> | undefined;
    if (m.method === 'Runtime.exceptionThrown') errors.push(`exception: ${p?.exceptionDetails?.exception?.description ?? p?.exceptionDetails?.text}`);
    if (m.method === 'Runtime.consoleAPICalled' && (p?.type === 'error' || p?.type === 'assert'))
      errors.push(`console.${p.type}: ${JSON.stringify(p.args?.map((a: any) => a.value ?? a.description))}`);
    if (m.method === 'Log.entryAdded' && p?.entry?.level === 'error') errors.push(`log: ${p.entry.text} ${p.entry.url ?? ''}`);
    if (m.method === 'Page.loadEventFired' && loaded) loaded();
  });
  await send('Runtime.enable');
  await send('Log.enable');
  await send('Page.enable');
  await send('Emulation.setDeviceMetricsOverride', { width: size.width, height: size.height, deviceScaleFactor: 1, mobile: false });
  const load = new Promise<void>((r) => (loaded = r));
  await send('Page.navigate', { url });
  await load;

  const evaluate = async <T>(expression: string): Promise<T> => {
    const r = (await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as { result: { value: T }; exceptionDetails?: unknown };
    if (r.exceptionDetails) throw new Error(`evaluate failed: ${JSON.stringify(r.exceptionDetails)}`);
    return r.result.value;
  };
  return {
    send,
    evaluate,
    errors,
    async press(key, shift = false) {
      const k = KEYS[key];
      await send('Input.dispatchKeyEvent', { type: 'keyDown', modifiers: shift ? 8 : 0, ...k });
      await send('Input.dispatchKeyEvent', { type: 'keyUp', modifiers: shift ? 8 : 0, ...k });
    },
    async close() {
      try {
        await raw('Browser.close');
      } catch {
        /* already gone */
      }
      await new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
    },
  };
}
