/**
 * A server child process's memory, read from outside without any change to the server: RSS from
 * /proc/<pid>/status, and the V8 heap through the inspector, which the child opens when started
 * with `NODE_OPTIONS=--inspect=127.0.0.1:0` (`inspectorEnv()`); it prints the inspector's
 * WebSocket URL on stderr. `heapAfterGc()` forces a full collection first (what remains is what
 * the server holds on to, the figure a leak shows in), and says when the pause it caused began
 * and ended, so latency figures can leave those moments out.
 */
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { deferred, type Deferred } from '../../helpers/live.js';
import type { ServerProcess } from '../../helpers/process.js';

/** Environment that makes a server child open its inspector on a free local port. */
export function inspectorEnv(): Record<string, string> {
  return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --inspect=127.0.0.1:0`.trim() };
}

/** Resident set size in MB, or null once the process is gone. */
export function rssMb(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) the process has used, in seconds. */
export function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of /proc/<pid>/stat, i.e. 11 and 12 after "comm) ".
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

export interface HeapSample {
  usedMb: number;
  /** The forced collection's pause, wall clock. */
  gcStart: number;
  gcEnd: number;
}

export interface Inspector {
  heapAfterGc(): Promise<HeapSample>;
  close(): void;
}

/** Connects to the inspector of a server started with `inspectorEnv()`. */
export async function connectInspector(server: ServerProcess, timeoutMs = 10_000): Promise<Inspector> {
  const url = /Debugger listening on (ws:\/\/\S+)/.exec(server.stderr())?.[1];
  if (!url) throw new Error(`the server printed no inspector URL (started without inspectorEnv()?):\n${server.stderr().slice(-2000)}`);
  const ws = new WebSocket(url);
  const opened = deferred<void>();
  ws.once('open', () => opened.resolve());
  ws.once('error', (error) => opened.reject(error));
  const timer = setTimeout(() => opened.reject(new Error(`inspector at ${url} did not open in ${timeoutMs} ms`)), timeoutMs);
  await opened.promise.finally(() => clearTimeout(timer));
  let nextId = 0;
  const pending = new Map<number, Deferred<Record<string, unknown>>>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
    const waiting = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id!);
    if (message.error) waiting.reject(new Error(message.error.message));
    else waiting.resolve(message.result ?? {});
  });
  ws.on('close', () => {
    for (const waiting of pending.values()) waiting.reject(new Error('inspector closed'));
    pending.clear();
  });
  const call = (method: string): Promise<Record<string, unknown>> => {
    const id = ++nextId;
    const answer = deferred<Record<string, unknown>>();
    pending.set(id, answer);
    ws.send(JSON.stringify({ id, method }));
    return answer.promise;
  };
  return {
    async heapAfterGc() {
      const gcStart = Date.now();
      await call('HeapProfiler.collectGarbage');
      const gcEnd = Date.now();
      const usage = (await call('Runtime.getHeapUsage')) as { usedSize: number };
      return { usedMb: usage.usedSize / 1024 / 1024, gcStart, gcEnd };
    },
    close: () => ws.close(),
  };
}
