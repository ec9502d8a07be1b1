/**
 * The figures a chaos test measured, printed as one `CHAOS-FIGURES {json}` line so a run's
 * output can be collected with grep (docs/RELIABILITY.md is written from them), and appended to
 * the file `SIGHTLINE_CHAOS_FIGURES_FILE` names, when set.
 */
import { appendFileSync } from 'node:fs';

export function printFigures(figures: Record<string, unknown>): void {
  const line = `CHAOS-FIGURES ${JSON.stringify(figures)}`;
  console.log(line);
  const file = process.env.SIGHTLINE_CHAOS_FIGURES_FILE;
  if (file) appendFileSync(file, `${line}\n`);
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** n, p50, p90, p99 and max, rounded to whole units (milliseconds, mostly). */
export function summary(values: readonly number[]): { n: number; p50: number | null; p90: number | null; p99: number | null; max: number | null } {
  const round = (value: number | null) => (value === null ? null : Math.round(value));
  return {
    n: values.length,
    p50: round(percentile(values, 50)),
    p90: round(percentile(values, 90)),
    p99: round(percentile(values, 99)),
    max: round(values.length === 0 ? null : Math.max(...values)),
  };
}

/** A duration that can be cut short by a failure (a server that exits on its own, say). */
export function pause(ms: number, unless?: Promise<never>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return (unless ? Promise.race([elapsed, unless]) : elapsed).finally(() => clearTimeout(timer));
}
