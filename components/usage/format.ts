// Number formatting shared by usage components.

// A share as a percentage with one decimal (rounded down, so 99.96% never shows as 100.0%), or a dash when there is nothing to divide.
export function formatRate(rate: number | null): string {
  return rate === null ? "–" : `${(Math.floor(rate * 1000) / 10).toFixed(1)}%`;
}
