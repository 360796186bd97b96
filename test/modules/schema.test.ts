import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import {
  COMPOSED_FILE,
  SCHEMA_DIR,
  breakingChanges,
  schemaArtefacts,
  unacceptedBreakingChanges,
} from '../../src/platform/gateway/artefacts';
import { assembleGateway, type Gateway } from '../../src/platform/gateway/gateway';
import { createLogger } from '../../src/platform/logger';
import { offlineSettings } from '../../src/scripts/schema-settings';

describe('schema artefacts in schema/', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await assembleGateway(offlineSettings(), createLogger('silent'));
  });

  it('hold exactly what the code builds (run `npm run schema:print` after changing the graph)', () => {
    for (const [name, content] of schemaArtefacts(gateway)) {
      expect({ file: `schema/${name}`, content: readFileSync(join(SCHEMA_DIR, name), 'utf8') }).toEqual({ file: `schema/${name}`, content });
    }
  });

  it('are not broken by the code, unless a change was explicitly accepted', () => {
    expect(unacceptedBreakingChanges(gateway.schema)).toEqual([]);
  });

  it('would catch a removed field or a newly required argument (the check itself works)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aura-schema-'));
    const committed = readFileSync(join(SCHEMA_DIR, COMPOSED_FILE), 'utf8')
      .replace(/type User( implements Node)? \{/, (head) => `${head}\n  nickname: String`)
      .replace('me: User', 'me(asOf: String): User');
    writeFileSync(join(dir, COMPOSED_FILE), committed);
    expect(breakingChanges(gateway.schema, dir).sort()).toEqual(['ARG_REMOVED: Query.me arg asOf was removed.', 'FIELD_REMOVED: User.nickname was removed.']);
    writeFileSync(
      join(dir, 'accepted-breaking-changes.json'),
      JSON.stringify([{ change: 'FIELD_REMOVED: User.nickname was removed.', reason: 'never used', acceptedAt: '2026-11-25' }]),
    );
    expect(unacceptedBreakingChanges(gateway.schema, dir)).toEqual(['ARG_REMOVED: Query.me arg asOf was removed.']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('compose to a valid schema with every module represented', () => {
    expect(() => buildSchema(readFileSync(join(SCHEMA_DIR, COMPOSED_FILE), 'utf8'))).not.toThrow();
    expect(gateway.subschemas.map((s) => s.module)).toEqual(['platform', ...gateway.modules.map((m) => m.name)]);
  });
});
