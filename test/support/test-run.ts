import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A jest run's name (global-setup.ts sets it, the workers inherit it): the test files of one run share
 * its migrated templates (database.ts); unset outside jest, where nothing is shared.
 */
export const testRun = (): string | undefined => process.env.AURA_TEST_RUN || undefined;

/** Where a run keeps its embedded templates and their build markers; global-teardown.ts removes it. */
export function runDirectory(run: string): string {
  return join(tmpdir(), `aura-test-run-${run}`);
}

/** The prefix of a run's template databases on PostgreSQL; global-teardown.ts drops them. */
export function templatePrefix(run: string): string {
  return `aura_template_${run}_`;
}
