/** Plain-text tables of the results, ratios and goals, for stdout. */
import type { GoalResult, RawTcpBaseline } from './goals';
import type { ScenarioResult } from './rounds';

/** A row of scale figures: name, value and unit. */
export interface FigureRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

/** Lays out `rows` under `headers`; the first column is left-aligned, the others right-aligned. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

const integer = (value: number): string =>
  Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : String(value);
const micros = (value: number | undefined): string => (value === undefined ? '' : value.toFixed(1));

/** The table of scenario medians (throughput, p50, p99), their derived figures (e.g. MB/s) and scale figures. */
export function resultsTable(results: readonly ScenarioResult[], scale: readonly FigureRow[]): string {
  const rows = results.flatMap(({ name, unit, median, derived }) => [
    [name, integer(median.perSecond), unit, micros(median.p50Us), micros(median.p99Us)],
    ...Object.entries(derived).map(([figure, value]) => [
      figure,
      value >= 100 ? integer(value) : value.toFixed(1),
      figure.endsWith('_mb_per_s') ? 'MB/s' : '',
      '',
      '',
    ]),
  ]);
  for (const { name, value, unit } of scale) {
    rows.push([
      name,
      Number.isInteger(value) || Math.abs(value) >= 100 ? integer(value) : value.toFixed(2),
      unit,
      '',
      '',
    ]);
  }
  return formatTable(['scenario', 'median', 'unit', 'p50 µs', 'p99 µs'], rows);
}

/** The table of ratios. */
export function ratiosTable(ratios: Readonly<Record<string, number>>): string {
  return formatTable(
    ['ratio', 'value'],
    Object.entries(ratios).map(([key, value]) => [key, `${value.toFixed(3)}x`]),
  );
}

/** The table of the raw TCP baselines: for each, the write mode that was best, and every variant's median. */
export function baselinesTable(baselines: readonly RawTcpBaseline[]): string {
  return formatTable(
    ['raw TCP baseline', 'best', 'calls/s', 'variants (median calls/s)'],
    baselines.map(({ name, best, perSecond }) => [
      name,
      best,
      integer(perSecond[best] ?? Number.NaN),
      Object.entries(perSecond)
        .map(([mode, value]) => `${mode} ${integer(value)}`)
        .join(', '),
    ]),
  );
}

/** The table of goals, each with its measured value (a ratio, or a figure in its unit), marked met or not. */
export function goalsTable(goals: readonly GoalResult[]): string {
  return formatTable(
    ['goal', 'value', 'target', 'status'],
    goals.map((goal) => {
      const unit = 'ratio' in goal ? 'x' : ` ${goal.unit}`;
      const digits = 'ratio' in goal ? 3 : 2;
      return [
        goal.label,
        goal.value === undefined || Number.isNaN(goal.value) ? 'n/a' : `${goal.value.toFixed(digits)}${unit}`,
        `${goal.comparison} ${goal.target}${unit}`,
        goal.met ? 'MET' : 'NOT MET',
      ];
    }),
  );
}
