/** @returns the median of `xs` (the upper one of an even count) */
export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** @returns `x` rounded to `digits` decimals */
export const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;
