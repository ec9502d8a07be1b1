/** What a scenario family hands the runner: a table for people, scenarios for results.json. */
import type { PgAvailability } from './postgres.js';

export type Database = 'sqlite' | 'postgresql';

export interface BenchContext {
  /** BENCH_QUICK=1: a smoke run with few events; its numbers are not for comparison. */
  quick: boolean;
  repoRoot: string;
  /** The databases to run on, after BENCH_ONLY and PostgreSQL's reachability. */
  databases: Database[];
  postgres: PgAvailability;
  /** Databases asked for but not run, with why. */
  skipped: Partial<Record<Database, string>>;
  /** BENCH_CPU_PROF=1: a folder for the server children's --cpu-prof output; numbers then carry the profiler's cost. */
  cpuProfileDir: string | null;
  /** Progress, on stderr. */
  log(line: string): void;
}

export interface Column {
  header: string;
  align?: 'left' | 'right';
}

export interface FamilyReport {
  family: string;
  title: string;
  columns: Column[];
  rows: string[][];
  notes: string[];
  /** Every scenario's numbers, as results.json stores them. */
  scenarios: unknown[];
  targets: unknown;
  /** Whether every target was met; null when the family has no targets or was skipped. */
  passed: boolean | null;
  /** Extra output after the table (e.g. CPU profile summaries). */
  appendix?: string[];
}

export interface BenchFamily {
  name: string;
  run(context: BenchContext): Promise<FamilyReport>;
}

/** An aligned plain-text table. */
export function formatTable(columns: Column[], rows: string[][]): string {
  const widths = columns.map((column, i) => Math.max(column.header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const cell = (text: string, i: number) => (columns[i]!.align === 'left' ? text.padEnd(widths[i]!) : text.padStart(widths[i]!));
  const line = (cells: string[]) => cells.map(cell).join('  ').trimEnd();
  return [line(columns.map((c) => c.header)), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const formatRate = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '-');
export const formatMs = (value: number) => (Number.isFinite(value) ? (value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)) : '-');
export const formatMb = (bytes: number) => (Number.isFinite(bytes) && bytes > 0 ? `${Math.round(bytes / 1024 / 1024)} MB` : '-');
export const formatRatio = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '-');
