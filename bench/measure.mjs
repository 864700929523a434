// What the benchmarks measure a step with: its wall time after a garbage collection (run with
// --expose-gc), its result, and the process's peak RSS so far (process.resourceUsage().maxRSS: a
// high-water mark, so it includes the steps before).
export const maxRssMb = () => process.resourceUsage().maxRSS / 1024;

export async function timed(fn) {
  globalThis.gc?.();
  const start = performance.now();
  const result = await fn();
  return { ms: performance.now() - start, result, maxRssMb: maxRssMb() };
}

/** A number with thousands separators and `digits` decimals. */
export const fmt = (n, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The median (the mean of the two middle values for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** "median (min–max)" of the values, each written by `show`. */
export const spread = (values, show) => `${show(median(values))} (${show(Math.min(...values))}–${show(Math.max(...values))})`;
