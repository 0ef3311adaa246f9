/** A linear or base-10 log mapping from data values to pixels, with "nice" tick values. */
export interface Scale {
  (value: number): number;
  readonly ticks: readonly number[];
}

/** @returns about `count` round tick values covering [min, max] (steps of 1, 2 or 5 × 10^k) */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/**
 * @param domain - [min, max] of the data (max > min; for log, min > 0)
 * @param range - [pixel of min, pixel of max]
 * @returns the scale, its ticks inside the domain
 */
export function makeScale(domain: readonly [number, number], range: readonly [number, number], log = false): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const f = log ? Math.log10 : (x: number): number => x;
  const a = f(d0), b = f(d1);
  const scale = ((value: number): number => r0 + ((f(value) - a) / (b - a || 1)) * (r1 - r0)) as Scale;
  const ticks = log ? logTicks(d0, d1) : niceTicks(d0, d1);
  return Object.assign(scale, { ticks });
}

function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) if (10 ** e >= min && 10 ** e <= max) ticks.push(10 ** e);
  return ticks.length >= 2 ? ticks : niceTicks(min, max);
}

/** @returns a short label for a tick value (1,200 → "1.2k", 0.25 → "0.25") */
export function tickLabel(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`;
  if (abs >= 1e4) return `${Number((value / 1e3).toPrecision(3))}k`;
  return String(Number(value.toPrecision(3)));
}
