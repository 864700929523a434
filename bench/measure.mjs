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
