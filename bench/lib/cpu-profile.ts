/** Reads V8 .cpuprofile files (node --cpu-prof) and lists where the time went, by self time. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  startTime: number;
  endTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  file: string;
  /** Time on CPU (idle samples left out). */
  totalMs: number;
  /** The heaviest functions. */
  functions: SelfTime[];
  /** The same time grouped by package (node_modules/<name>), src/ folder, or node/V8 internals. */
  areas: SelfTime[];
}

function areaOf(where: string, fn: string): string {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where);
  if (dependency) return dependency[1]!;
  if (where.startsWith('src/')) return where.split('/').slice(0, 2).join('/').replace(/:\d+$/, '');
  if (where.startsWith('node:')) return 'node internals';
  if (fn.startsWith('(')) return fn; // (garbage collector), (program)
  return where ? 'other' : 'native (JSON, crypto, syscalls, ...)';
}

function summarise(path: string, repoRoot: string, limit: number, lastMs: number): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  const from = profile.endTime - lastMs * 1000;
  let at = profile.startTime;
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    at += us;
    if (at < from) return;
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') return; // waiting for I/O is not work
    totalUs += us;
    const url = frame.url.replace(/^file:\/\//, '');
    const where = url ? `${url.startsWith(repoRoot) ? relative(repoRoot, url) : url}:${frame.lineNumber + 1}` : '';
    const name = `${frame.functionName || '(anonymous)'}${where ? `  ${where}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    const area = areaOf(where, frame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
  });
  const top = (totals: Map<string, number>) =>
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: us / totalUs }));
  return { file: path, totalMs: Math.round(totalUs / 1000), functions: top(functions), areas: top(areas) };
}

/**
 * The busy profiles in `dir`, busiest first: node writes one per thread (the main thread, the
 * server's SQLite writer thread, and with `--import tsx` a module loader thread), each over its
 * last `lastMs` only: the measured part, without the start-up. A thread that used less than a
 * tenth of the busiest one's CPU is left out.
 */
export function summariseBusyProfiles(dir: string, repoRoot: string, lastMs: number, limit = 15): ProfileSummary[] {
  const summaries = readdirSync(dir)
    .filter((file) => file.endsWith('.cpuprofile'))
    .map((file) => summarise(join(dir, file), repoRoot, limit, lastMs))
    .sort((a, b) => b.totalMs - a.totalMs);
  const busiest = summaries[0]?.totalMs ?? 0;
  return summaries.filter((summary) => summary.totalMs >= busiest / 10);
}

/** The busiest thread's profile in `dir` (see summariseBusyProfiles), or null when there is none. */
export function summariseBusiestProfile(dir: string, repoRoot: string, lastMs: number, limit = 15): ProfileSummary | null {
  return summariseBusyProfiles(dir, repoRoot, lastMs, limit)[0] ?? null;
}
