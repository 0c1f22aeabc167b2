/**
 * How far the latest value has come from the baseline towards the target, in
 * percent, rounded to one decimal. Works for falling indicators (target below
 * baseline) alike. Not capped: past the target it is over 100, behind the
 * baseline it is negative. `null` without a measurement, and when baseline
 * equals target (there is no way to go, so no share of it to report).
 */
export function progressPercent(baseline: number, target: number, latest: number | null): number | null {
  if (latest === null || baseline === target) return null;
  const percent = ((latest - baseline) / (target - baseline)) * 100;
  return Math.round(percent * 10) / 10;
}
