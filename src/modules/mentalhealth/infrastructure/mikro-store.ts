import { DriverException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { inject, injectable } from 'inversify';
import { AccessAudit } from '../../../contracts/access-audit';
import { PLATFORM } from '../../../platform/container';
import type { EventBus } from '../../../platform/events';
import type { OperationContext } from '../../../platform/context';
import { ConflictError } from '../../../platform/errors';
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
}

/** PostgreSQL's "exclusion constraint violated": the database refused an overlapping session. */
const EXCLUSION_VIOLATION = '23P01';

@injectable()
export class MikroMentalHealthStore implements MentalHealthStore {
  constructor(
    @inject(PLATFORM.Events) private readonly bus: EventBus,
    @inject(AccessAudit) private readonly audit: AccessAudit,
  ) {}

  repositories(op: OperationContext): MentalHealthRepositories {
    return this.on(op.em, op);
  }

  async transaction<T>(op: OperationContext, work: (repositories: MentalHealthRepositories) => Promise<T>): Promise<T> {
    try {
      return await op.em.transactional((em) => work(this.on(em as EntityManager, op)));
    } catch (error) {
      if (error instanceof DriverException && (error as DriverException & { code?: string }).code === EXCLUSION_VIOLATION) {
        throw new ConflictError('That time is no longer free: another session was booked at the same time', { rule: 'OVERLAP' });
      }
      throw error;
    }
  }

  private on(em: EntityManager, op: OperationContext): MentalHealthRepositories {
    return {
      events: this.bus.recorder(em),
      audit: this.audit.recorder(em, op),
      sessions: new MikroTherapySessionRepository(em),
      workingHours: new MikroWorkingHoursRepository(em),
      disorders: new MikroDisorderRepository(em),
      chatbot: new MikroChatbotRepository(em),
    };
  }
}
