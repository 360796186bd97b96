import { AccountStandings, UserDirectory } from '../../contracts/users';
import { defineModule, provide } from '../../platform/module';
import { UserResolver } from './api/user.resolver';
import { Migration20261125000000UsersInit } from './migrations/Migration20261125000000UsersInit';
import { Migration20261129110000UsersCanonicalTimezones } from './migrations/Migration20261129110000UsersCanonicalTimezones';
import { Migration20261129120000UsersCanonicalEmails } from './migrations/Migration20261129120000UsersCanonicalEmails';
import { Migration20261129500000AccountStanding } from './migrations/Migration20261129500000AccountStanding';
import { User } from './models/user.entity';
import { AccountStandingsService } from './services/account-standings';
import { UserDirectoryService } from './services/user-directory';
import { UserReferences } from './services/user-references';
import { UserStore } from './services/user-store';
import { UserVisibility } from './services/user-visibility';
import { UserService } from './services/user.service';

/** Users (layered: api -> services -> models): accounts, sign-in, roles. Publishes UserRegistered and UserAccountChanged. */
export const usersModule = defineModule({
  name: 'users',
  entities: [User],
  migrations: [
    { name: 'users/20261125000000_init', class: Migration20261125000000UsersInit },
    { name: 'users/20261129110000_canonical_timezones', class: Migration20261129110000UsersCanonicalTimezones },
    { name: 'users/20261129120000_canonical_emails', class: Migration20261129120000UsersCanonicalEmails },
    { name: 'users/20261129500000_account_standing', class: Migration20261129500000AccountStanding },
  ],
  providers: [UserStore, UserService, UserVisibility],
  resolvers: [UserResolver],
  provides: [provide(UserDirectory, UserDirectoryService), provide(AccountStandings, AccountStandingsService)],
  // Users other modules return are resolved here, with the users module's visibility rule.
  references: { User: UserReferences },
  async start({ container, orm, log }) {
    const admin = await container.get(UserService).ensureBootstrapAdmin(orm.em.fork());
    if (admin) log.info({ userId: admin.id }, 'bootstrap admin present');
  },
});
