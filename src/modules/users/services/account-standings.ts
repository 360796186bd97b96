import type { EntityManager } from '@mikro-orm/postgresql';
import { injectable } from 'inversify';
import type { AccountStanding, AccountStandings, Role } from '../../../contracts/users';
import { directRows } from '../../../platform/direct-sql';
import { isUuid } from '../../../platform/ids';

interface StandingRow {
  id: string;
  role: Role;
  is_active: boolean;
  token_version: number;
}

/** One primary-key read per batch of operations: no entity, no identity map, no cache to invalidate across instances. */
@injectable()
export class AccountStandingsService implements AccountStandings {
  async standingsOf(em: EntityManager, userIds: readonly string[]): Promise<Map<string, AccountStanding>> {
    const ids = [...new Set(userIds.filter(isUuid))];
    if (ids.length === 0) return new Map();
    const rows = await directRows<StandingRow>(em, `select id, role, is_active, token_version from users.user_account where id in (${ids.map(() => '?').join(', ')})`, ids);
    return new Map(rows.map((row) => [row.id, standingOf(row)]));
  }
}

function standingOf(row: StandingRow): AccountStanding {
  return { role: row.role, active: row.is_active, tokenVersion: Number(row.token_version) };
}
