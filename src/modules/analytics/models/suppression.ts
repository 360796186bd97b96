/**
 * Small-cell suppression. A cell is a set of facts; it is reported only when its facts come from
 * at least `minCell` distinct patients (or from none: a zero reveals no one). Complementary
 * suppression: within a partition (cells that add up to a published total), the suppressed cells
 * together must also cover at least `minCell` patients, or the smallest published cells join them;
 * otherwise the total minus the published cells would reveal the small ones.
 */
export interface PartitionCell {
  key: string;
  patients: ReadonlySet<string>;
}

export const isSmall = (patients: number, minCell: number): boolean => patients > 0 && patients < minCell;

/** The keys of the cells of one partition that must be suppressed. Deterministic: ties break by key. */
export function suppressedInPartition(cells: readonly PartitionCell[], minCell: number): Set<string> {
  const suppressed = new Set(cells.filter((c) => isSmall(c.patients.size, minCell)).map((c) => c.key));
  if (suppressed.size === 0) return suppressed;
  const published = cells
    .filter((c) => !suppressed.has(c.key) && c.patients.size > 0)
    .sort((a, b) => a.patients.size - b.patients.size || a.key.localeCompare(b.key));
  const union = new Set<string>();
  for (const cell of cells) if (suppressed.has(cell.key)) for (const p of cell.patients) union.add(p);
  while (union.size < minCell && published.length > 0) {
    const next = published.shift()!;
    suppressed.add(next.key);
    for (const p of next.patients) union.add(p);
  }
  return suppressed;
}
