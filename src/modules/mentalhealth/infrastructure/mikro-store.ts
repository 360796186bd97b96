import type { EntityManager } from '@mikro-orm/postgresql';
import { injectable, injectFromBase } from 'inversify';
import { ModuleStore, type StoreAccess } from '../../../platform/store';
import type { ChatbotRepository, MentalHealthRepositories, MentalHealthStore, WorkingHoursRepository } from '../application/ports';
import type { ChatbotInteraction } from '../domain/chatbot-interaction';
import type { WorkingHoursEntry } from '../domain/working-hours';
import { MikroDisorderRepository } from './disorder-repository';
import { ChatbotInteractionSchema, TherapistCalendarSchema } from './persistence';
import { MikroTherapySessionRepository } from './session-repository';

class MikroWorkingHoursRepository implements WorkingHoursRepository {
  constructor(private readonly em: EntityManager) {}

  async find(therapistId: string): Promise<WorkingHoursEntry[] | null> {
    return (await this.em.findOne(TherapistCalendarSchema, { therapistId }))?.hours ?? null;
  }

  async findMany(therapistIds: readonly string[]): Promise<Map<string, WorkingHoursEntry[]>> {
    const rows = await this.em.find(TherapistCalendarSchema, { therapistId: { $in: [...therapistIds] } });
    return new Map(rows.map((row) => [row.therapistId, row.hours]));
  }

  async save(therapistId: string, hours: WorkingHoursEntry[]): Promise<void> {
    await this.em.upsert(TherapistCalendarSchema, { therapistId, hours, updatedAt: new Date() });
  }
}

class MikroChatbotRepository implements ChatbotRepository {
  constructor(private readonly em: EntityManager) {}

  add(interaction: ChatbotInteraction): void {
    this.em.persist(this.em.create(ChatbotInteractionSchema, interaction));
  }

  recent(userId: string, limit: number): Promise<ChatbotInteraction[]> {
    return this.em.find(ChatbotInteractionSchema, { userId }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit });
  }

  findOwn(userId: string, ids: readonly string[]): Promise<ChatbotInteraction[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.em.find(ChatbotInteractionSchema, { userId, id: { $in: [...ids] } });
  }
}

const OVERLAP = { message: 'That time is no longer free: another session was booked at the same time', details: { rule: 'OVERLAP' } };

/** Mental health's repositories on its own schema; transaction, outbox and error mapping come from the platform's store. */
@injectable()
@injectFromBase({ extendConstructorArguments: true })
export class MikroMentalHealthStore extends ModuleStore<MentalHealthRepositories> implements MentalHealthStore {
  /** The database refuses overlapping sessions (exclusion constraints): the same answer for the therapist's and the patient's. */
  protected readonly options = {
    schema: 'mentalhealth',
    conflicts: { therapy_session_therapist_no_overlap: OVERLAP, therapy_session_patient_no_overlap: OVERLAP },
  };

  protected repositoriesOn({ em, lean }: StoreAccess): MentalHealthRepositories {
    return {
      sessions: new MikroTherapySessionRepository(em, lean),
      workingHours: new MikroWorkingHoursRepository(em),
      disorders: new MikroDisorderRepository(em),
      chatbot: new MikroChatbotRepository(em),
    };
  }
}
