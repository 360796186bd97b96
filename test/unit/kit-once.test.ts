import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '../../src');

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

const files = sources().map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));
const where = (pattern: RegExp) => files.filter((file) => pattern.test(file.text)).map((file) => file.path);

/** Mechanisms the platform's kit holds once, so copies cannot drift apart again (issue 8, "copied plumbing"). */
describe('the kit: one of each mechanism', () => {
  it('makes DataLoaders in one place (defineLoader)', () => {
    expect(where(/new DataLoader\b|from 'dataloader'/)).toEqual(['platform/loaders.ts']);
  });

  it('defines requireAdmin once, in the platform', () => {
    expect(where(/function requireAdmin\b/)).toEqual(['platform/auth.ts']);
  });

  it('writes the keyset predicate once, in the store base', () => {
    // `{ key: x, id: { $gt: y } }`: the second half of `(k > x) or (k = x and id > y)`.
    expect(where(/id: \{ \$[gl]t: /)).toEqual([]);
    expect(where(/\[beyond\]/)).toEqual(['platform/store.ts']);
  });

  it('maps database errors in one place: no module tests for SQLSTATEs or MikroORM constraint exceptions', () => {
    expect(where(/23505|23P01|UniqueConstraintViolationException|DriverException/).filter((path) => path.startsWith('modules/'))).toEqual([]);
  });

  it('keeps the GraphQL connection types out of use cases: application and service code imports platform/paging.ts', () => {
    const users = where(/gateway\/connection'/);
    // scripts/scaffold.ts writes a generated module's api/ file, which imports the connection types.
    expect(users.filter((path) => !/\/api\/|\/adapters\/graphql\/|^platform\/gateway\/|^scripts\/scaffold\.ts$/.test(path))).toEqual([]);
  });

  it('opens module transactions through the store: no module calls transactional itself', () => {
    expect(where(/\.transactional\(/).filter((path) => path.startsWith('modules/'))).toEqual([]);
  });
});
