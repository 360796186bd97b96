import { TherapySessionDirectoryToken } from '../../contracts/mentalhealth';
import { TherapistVisibility } from '../../contracts/users';
import { defineLoader } from '../../platform/loaders';
import type { AuraModule } from '../../platform/module';
import { ChatbotResolver } from './api/chatbot.resolver';
import { DisorderResolver } from './api/disorder.resolver';
import { SessionEventsResolver } from './api/session-events.resolver';
import { TherapySessionResolver } from './api/therapy-session.resolver';
import { UserExtensionResolver } from './api/user-extension.resolver';
import { Calendar } from './application/calendar';
import { CareRelationships } from './application/care-relationships';
import { Disorders } from './application/disorders';
import { MentalHealthStoreKey, type MentalHealthStore } from './application/ports';
import { snapshotOf } from './application/session-events';
import { TherapySessionReferences } from './application/session-references';
import { SupportChat } from './application/support-chat';
import { TherapySessions } from './application/therapy-sessions';
import { MENTALHEALTH_ENTITIES } from './infrastructure/persistence';
import { MikroMentalHealthStore } from './infrastructure/mikro-store';
import { Migration20261125100000MentalHealthInit } from './migrations/Migration20261125100000MentalHealthInit';
import { Migration20261125100100DisorderCatalogue } from './migrations/Migration20261125100100DisorderCatalogue';
import { Migration20261129100000SessionProposer } from './migrations/Migration20261129100000SessionProposer';
import { Migration20261129300000SessionEventsWithoutText } from './migrations/Migration20261129300000SessionEventsWithoutText';
import { Migration20261129400000ChatbotRiskRules } from './migrations/Migration20261129400000ChatbotRiskRules';
import { Migration20261129130000DisorderSearch } from './migrations/Migration20261129130000DisorderSearch';
import { Migration20261129140000AgreedPriceAndNoShow } from './migrations/Migration20261129140000AgreedPriceAndNoShow';

/**
 * Mental health (clean architecture): domain/ (sessions, rules, calendar, chatbot), application/
 * (use cases, access rules, ports), infrastructure/ (MikroORM), api/ (type-graphql).
 */
export const mentalhealthModule: AuraModule = {
  name: 'mentalhealth',
  entities: MENTALHEALTH_ENTITIES,
  migrations: [
    { name: 'mentalhealth/20261125100000_init', class: Migration20261125100000MentalHealthInit },
    { name: 'mentalhealth/20261125100100_disorder_catalogue', class: Migration20261125100100DisorderCatalogue },
    { name: 'mentalhealth/20261129100000_session_proposer', class: Migration20261129100000SessionProposer },
    { name: 'mentalhealth/20261129300000_session_events_without_text', class: Migration20261129300000SessionEventsWithoutText },
    { name: 'mentalhealth/20261129400000_chatbot_risk_rules', class: Migration20261129400000ChatbotRiskRules },
    { name: 'mentalhealth/20261129130000_disorder_search', class: Migration20261129130000DisorderSearch },
    { name: 'mentalhealth/20261129140000_agreed_price_and_no_show', class: Migration20261129140000AgreedPriceAndNoShow },
  ],
  resolvers: [TherapySessionResolver, UserExtensionResolver, DisorderResolver, ChatbotResolver, SessionEventsResolver],
  references: { TherapySession: TherapySessionReferences },
  register({ container, registry, events }) {
    container.bind(MentalHealthStoreKey).to(MikroMentalHealthStore).inSingletonScope();
    for (const service of [TherapySessions, Calendar, Disorders, SupportChat, CareRelationships]) container.bind(service).toSelf().inSingletonScope();
    for (const resolver of [TherapySessionResolver, UserExtensionResolver, DisorderResolver, ChatbotResolver, SessionEventsResolver]) {
      container.bind(resolver).toSelf().inSingletonScope();
    }
    const store = container.get<MentalHealthStore>(MentalHealthStoreKey);
    const sessionById = defineLoader('mentalhealth.sessionById', async (op, ids: readonly string[]) => {
      const found = await store.repositories(op).sessions.findByIds(ids);
      const byId = new Map(found.map((s) => [s.id, snapshotOf(s)]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    registry.provide(TherapySessionDirectoryToken, { findById: (op, id) => sessionById.load(op, id) });
    // Accepted sessions whose time passed without a start become NO_SHOW, on the dispatcher's schedule.
    const sessions = container.get(TherapySessions);
    events.every('mentalhealth.no-shows', (op) => sessions.markNoShows(op));
    const care = container.get(CareRelationships);
    registry.contribute(TherapistVisibility, { therapistMaySee: (op, therapistId, userId) => care.holds(op, therapistId, userId) });
  },
};
