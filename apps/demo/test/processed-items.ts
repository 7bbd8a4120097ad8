import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One line of `<state dir>/feed-items.log`: a feed item a tick processed and committed. */
export interface ProcessedItem {
  job: string;
  item: number;
  nodeId: string;
  scheduledAt: number;
  fence: number | null;
}

/** The processed items logged in a demo's state folder (none before the first tick). */
export function processedItems(stateDir: string): ProcessedItem[] {
  const file = join(stateDir, 'feed-items.log');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ProcessedItem);
}

/** Per job: how many items, how many of them were processed more than once, and whether they run without a gap. */
export function itemCounts(items: ProcessedItem[]): Record<string, { items: number; duplicates: number; gaps: number }> {
  const byJob = new Map<string, number[]>();
  for (const { job, item } of items) byJob.set(job, [...(byJob.get(job) ?? []), item]);
  return Object.fromEntries(
    [...byJob].map(([job, numbers]) => {
      const unique = [...new Set(numbers)].sort((a, b) => a - b);
      const gaps = unique.slice(1).filter((n, index) => n !== unique[index]! + 1).length;
      return [job, { items: unique.length, duplicates: numbers.length - unique.length, gaps }];
    }),
  );
}
