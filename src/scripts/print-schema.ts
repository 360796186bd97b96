import 'reflect-metadata';
import { mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ACCEPTED_BREAKING_FILE,
  SCHEMA_DIR,
  readAcceptedBreakingChanges,
  schemaArtefacts,
  unacceptedBreakingChanges,
} from '../platform/gateway/artefacts';
import { assembleGateway } from '../platform/gateway/gateway';
import { createLogger } from '../platform/logger';
import { offlineSettings } from './schema-settings';

/**
 * Writes schema/schema.graphql and schema/<module>.graphql from the code. Refuses a change
 * that breaks clients unless given `--accept-breaking "<reason>"`, which records it.
 */
async function main(): Promise<void> {
  const settings = offlineSettings();
  const gateway = await assembleGateway(settings, createLogger('silent'));
  const flag = process.argv.indexOf('--accept-breaking');
  const reason = flag >= 0 ? process.argv[flag + 1] : undefined;
  const breaking = unacceptedBreakingChanges(gateway.schema);
  if (breaking.length > 0) {
    if (!reason) {
      console.error(`These changes break clients of the committed schema:\n  ${breaking.join('\n  ')}`);
      console.error('Keep the old fields (mark them @deprecated), or run: npm run schema:print -- --accept-breaking "<why>"');
      process.exit(1);
    }
    const accepted = readAcceptedBreakingChanges();
    const acceptedAt = new Date().toISOString();
    accepted.push(...breaking.map((change) => ({ change, reason, acceptedAt })));
    writeFileSync(join(SCHEMA_DIR, ACCEPTED_BREAKING_FILE), JSON.stringify(accepted, null, 2) + '\n');
  }
  mkdirSync(SCHEMA_DIR, { recursive: true });
  const files = schemaArtefacts(gateway);
  for (const stale of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.graphql') && !files.has(f))) {
    unlinkSync(join(SCHEMA_DIR, stale));
  }
  for (const [name, content] of files) writeFileSync(join(SCHEMA_DIR, name), content);
  console.log(`wrote ${[...files.keys()].map((f) => `schema/${f}`).join(', ')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
