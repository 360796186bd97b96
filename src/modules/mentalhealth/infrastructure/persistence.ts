import { EntitySchema } from '@mikro-orm/core';
import { EncryptedText } from '../../../platform/encrypted-text';
import type { ChatbotInteraction } from '../domain/chatbot-interaction';
import type { Disorder } from '../domain/disorder';
import { TherapySession } from '../domain/therapy-session';
import type { WorkingHoursEntry } from '../domain/working-hours';

/** How the domain maps onto the `mentalhealth` PostgreSQL schema; the domain knows nothing of it. */
const timestamp = { type: 'Date', columnType: 'timestamptz' } as const;
const nullableTimestamp = { ...timestamp, nullable: true } as const;
const nullableText = { type: 'text', nullable: true } as const;
/** Clinical text is stored encrypted (AES-256-GCM, bound to its column); the entity holds plaintext. */
const encrypted = () => ({ type: new EncryptedText() });
const nullableEncrypted = () => ({ ...encrypted(), nullable: true });

export const TherapySessionSchema = new EntitySchema<TherapySession>({
  class: TherapySession,
  schema: 'mentalhealth',
  tableName: 'therapy_session',
  properties: {
    id: { type: 'uuid', primary: true },
    therapistId: { type: 'uuid' },
    patientId: { type: 'uuid' },
    sessionType: { type: 'text' },
    targetAudience: { type: 'text' },
    status: { type: 'text' },
    scheduledAt: timestamp,
    durationMinutes: { type: 'integer' },
    endsAt: timestamp,
    startedAt: nullableTimestamp,
    endedAt: nullableTimestamp,
    summary: nullableEncrypted(),
    notes: { ...nullableEncrypted(), lazy: false },
    cancellationReason: nullableEncrypted(),
    cancelledById: { type: 'uuid', nullable: true },
    proposedById: { type: 'uuid' },
    priceCents: { type: 'integer', nullable: true },
    priceCurrency: nullableText,
    createdAt: timestamp,
    updatedAt: timestamp,
  },
});

export class TherapistCalendarRow {
  therapistId!: string;
  hours!: WorkingHoursEntry[];
  updatedAt!: Date;
}

export const TherapistCalendarSchema = new EntitySchema<TherapistCalendarRow>({
  class: TherapistCalendarRow,
  schema: 'mentalhealth',
  tableName: 'therapist_calendar',
  properties: {
    therapistId: { type: 'uuid', primary: true },
    hours: { type: 'json' },
    updatedAt: timestamp,
  },
});

export const ChatbotInteractionSchema = new EntitySchema<ChatbotInteraction>({
  name: 'ChatbotInteraction',
  schema: 'mentalhealth',
  tableName: 'chatbot_interaction',
  properties: {
    id: { type: 'uuid', primary: true },
    userId: { type: 'uuid' },
    message: encrypted(),
    response: encrypted(),
    riskLevel: { type: 'text' },
    riskRules: { type: 'text[]' },
    createdAt: timestamp,
  },
});

export const DisorderSchema = new EntitySchema<Disorder>({
  name: 'Disorder',
  schema: 'mentalhealth',
  tableName: 'disorder',
  properties: {
    id: { type: 'uuid', primary: true },
    slug: { type: 'text' },
    name: { type: 'text' },
    type: { type: 'text' },
    description: { type: 'text' },
    signsAndSymptoms: { type: 'text' },
    symptoms: { type: 'text[]' },
    causes: { type: 'text[]' },
    treatment: nullableText,
    prevention: nullableText,
  },
});

export const MENTALHEALTH_ENTITIES = [TherapySessionSchema, TherapistCalendarSchema, ChatbotInteractionSchema, DisorderSchema];
