import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AURA_MODULES } from '../../src/config/modules';

const ROOT = join(__dirname, '../../src/modules/analytics');
const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));

describe('the analytics module', () => {
  it('names no other module\'s schema in its SQL: only analytics and the platform outbox', () => {
    const others = AURA_MODULES.map((m) => m.name).filter((n) => n !== 'analytics');
    const reach = new RegExp(`\\b(${others.join('|')})\\s*\\.\\s*"?[a-z_]+`, 'g');
    const found = files(ROOT).flatMap((file) => {
      const sql = [...readFileSync(file, 'utf8').matchAll(/`[^`]*`/g)].map((m) => m[0]).join('\n');
      return [...sql.matchAll(reach)].map((m) => `${relative(ROOT, file)}: ${m[0]}`);
    });
    expect(found).toEqual([]);
  });

  it('reads no platform table with its own SQL: lag and history come through the platform EventLog', () => {
    const found = files(ROOT).flatMap((file) => {
      const sql = [...readFileSync(file, 'utf8').matchAll(/`[^`]*`|'[^']*'/g)].map((m) => m[0]).join('\n');
      return [...sql.matchAll(/\bplatform\s*\.\s*"?[a-z_]+/g)].map((m) => `${relative(ROOT, file)}: ${m[0]}`);
    });
    expect(found).toEqual([]);
    const status = readFileSync(join(ROOT, 'services/queries.ts'), 'utf8');
    expect(status).toMatch(/eventLog\.oldestUndelivered\(/);
  });

  it('is in the manifest as layered, depending on no module (it learns everything from events)', () => {
    expect(AURA_MODULES.find((m) => m.name === 'analytics')).toMatchObject({ architecture: 'layered', dependsOn: [] });
  });
});
