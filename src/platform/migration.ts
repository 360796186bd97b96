import { dirname, join } from 'node:path';

/**
 * MikroORM's migration base class, without the rest of @mikro-orm/migrations: its index loads the
 * Migrator, umzug and their dependencies (a few hundred modules), which a start on an up-to-date
 * database never uses (database.ts loads the Migrator only when a migration is pending). The class
 * is the package's own file, found next to its entry point (the package exports only its index).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Migration } = require(join(dirname(require.resolve('@mikro-orm/migrations')), 'Migration.js')) as typeof import('@mikro-orm/migrations');

export { Migration };
