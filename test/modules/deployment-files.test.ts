import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('docker-compose.yml and the README agree with the code', () => {
  const compose = parse(read('docker-compose.yml'));
  const readme = read('README.md');
  const settingsSource = read('src/config/env.ts');

  it('brings up postgres, redis and the app, the app waiting for both', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'postgres', 'redis']);
    expect(Object.keys(compose.services.app.depends_on).sort()).toEqual(['postgres', 'redis']);
    expect(compose.services.app.command.join(' ')).toContain('npm start');
  });

  it('points the app at the compose database and Redis', () => {
    const { environment } = compose.services.app;
    const db = new URL(environment.DATABASE_URL);
    expect(db.hostname).toBe('postgres');
    expect(db.username).toBe(compose.services.postgres.environment.POSTGRES_USER);
    expect(db.pathname).toBe(`/${compose.services.postgres.environment.POSTGRES_DB}`);
    expect(new URL(environment.REDIS_URL).hostname).toBe('redis');
    expect(compose.services.app.ports).toContain(`${environment.PORT}:${environment.PORT}`);
  });

  it('uses only variables the code reads and the README documents', () => {
    for (const name of Object.keys(compose.services.app.environment)) {
      expect({ name, read: settingsSource.includes(`'${name}'`) || settingsSource.includes(`env.${name}`) }).toEqual({ name, read: true });
      expect({ name, documented: readme.includes(`| ${name}`) || readme.includes(`${name} `) }).toEqual({ name, documented: true });
    }
  });

  it('documents every variable the code reads', () => {
    const read = new Set([...settingsSource.matchAll(/env\.([A-Z_]+)|'([A-Z][A-Z_]+)'/g)].map((m) => m[1] ?? m[2]));
    for (const name of read) expect({ name, documented: readme.includes(name) }).toEqual({ name, documented: true });
  });
});
