import { AccountStandingsToken, UserDirectoryToken } from '../../contracts/users';
import type { AuraModule } from '../../platform/module';
import { UserResolver } from './api/user.resolver';
import { Migration20261125000000UsersInit } from './migrations/Migration20261125000000UsersInit';
import { Migration20261129110000UsersCanonicalTimezones } from './migrations/Migration20261129110000UsersCanonicalTimezones';
import { Migration20261129120000UsersCanonicalEmails } from './migrations/Migration20261129120000UsersCanonicalEmails';
import { Migration20261129500000AccountStanding } from './migrations/Migration20261129500000AccountStanding';
import { User } from './models/user.entity';
import { accountStandings } from './services/account-standings';
import { userDirectory } from './services/user-directory';
import { UserReferences } from './services/user-references';
import { UserService } from './services/user.service';

/** Users (layered): accounts, sign-in, roles. Provides UserDirectory and AccountStandings; publishes UserRegistered and UserAccountChanged. */
export const usersModule: AuraModule = {
  name: 'users',
  entities: [User],
  migrations: [
    { name: 'users/20261125000000_init', class: Migration20261125000000UsersInit },
    { name: 'users/20261129110000_canonical_timezones', class: Migration20261129110000UsersCanonicalTimezones },
    { name: 'users/20261129120000_canonical_emails', class: Migration20261129120000UsersCanonicalEmails },
    { name: 'users/20261129500000_account_standing', class: Migration20261129500000AccountStanding },
  ],
  resolvers: [UserResolver],
  references: { User: UserReferences },
  register({ container, registry }) {
    container.bind(UserService).toSelf().inSingletonScope();
    container.bind(UserResolver).toSelf().inSingletonScope();
    registry.provide(UserDirectoryToken, userDirectory);
    registry.provide(AccountStandingsToken, accountStandings);
  },
  async start({ container, orm, log }) {
    const admin = await container.get(UserService).ensureBootstrapAdmin(orm.em.fork());
    if (admin) log.info({ userId: admin.id }, 'bootstrap admin present');
  },
};
