import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { runDirectory } from './test-run';

/**
 * Once per jest run, before any test file: names the run, whose test files share one migrated
 * template per migration set (test/support/database.ts) instead of each migrating its own database.
 * The workers inherit AURA_TEST_RUN; global-teardown.ts removes what the run made.
 */
export default function globalSetup(): void {
  const run = randomBytes(4).toString('hex');
  mkdirSync(runDirectory(run));
  process.env.AURA_TEST_RUN = run;
}
