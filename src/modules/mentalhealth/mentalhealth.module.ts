import { TherapySessionDirectory } from '../../contracts/mentalhealth';
import { TherapistVisibility } from '../../contracts/users';
import { defineModule, every, provide } from '../../platform/module';
import { ChatbotResolver } from './api/chatbot.resolver';
import { DisorderResolver } from './api/disorder.resolver';
import { SessionEventsResolver } from './api/session-events.resolver';
import { TherapySessionResolver } from './api/therapy-session.resolver';
import { UserExtensionResolver } from './api/user-extension.resolver';
import { Calendar } from './application/calendar';
import { CareRelationships } from './application/care-relationships';
import { ChatbotInteractionReferences, DisorderReferences } from './application/node-references';
import { Disorders } from './application/disorders';
import { MentalHealthStoreKey } from './application/ports';
import { SessionDirectory } from './application/session-directory';
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
 * Mental health (clean: api -> application -> domain <- infrastructure): therapy sessions and their
 * lifecycle, therapists' calendars, care relationships, the disorder catalogue, the support chatbot.
 */
export const mentalhealthModule = defineModule({
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
  providers: [TherapySessions, Calendar, Disorders, SupportChat, CareRelationships],
  resolvers: [TherapySessionResolver, UserExtensionResolver, DisorderResolver, ChatbotResolver, SessionEventsResolver],
  ports: [provide(MentalHealthStoreKey, MikroMentalHealthStore)],
  provides: [provide(TherapySessionDirectory, SessionDirectory)],
  // Sessions other modules return (an invoice's session, a live event's) are resolved here, with this module's access rule.
  // Disorders and chatbot interactions only for Query.node (refetching by id).
  references: { TherapySession: TherapySessionReferences, Disorder: DisorderReferences, ChatbotInteraction: ChatbotInteractionReferences },
  // A therapist sees the users they are in a care relationship with.
  contributes: [provide(TherapistVisibility, CareRelationships)],
  // Accepted sessions whose time passed without a start become NO_SHOW, on the dispatcher's schedule.
  jobs: [every('mentalhealth.no-shows', TherapySessions, 'markNoShows')],
});
