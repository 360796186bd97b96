import { AcceptSessionDocument, LoginDocument, RegisterDocument, ScheduleSessionDocument, type Role } from '../generated/graphql';
import type { TestAura } from './aura';

export interface Person {
  id: string;
  token: string;
  email: string;
}

let counter = 0;

/** Registers a patient or therapist over GraphQL and returns their id and token. */
export async function register(t: TestAura, role: Extract<Role, 'PATIENT' | 'THERAPIST'>, timezone = 'UTC', lastName?: string): Promise<Person> {
  const email = `${role.toLowerCase()}-${process.pid}-${++counter}@example.com`;
  const response = await t.request(RegisterDocument, {
    input: { email, password: 'api-test-password', firstName: role === 'THERAPIST' ? 'Dr' : 'Pat', lastName: lastName ?? `N${counter}`, role, timezone },
  });
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return { id: response.data.register.user.id, token: response.data.register.token, email };
}

export async function login(t: TestAura, email: string, password: string): Promise<Person> {
  const response = await t.request(LoginDocument, { email, password });
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return { id: response.data.login.user.id, token: response.data.login.token, email };
}

/** A 60-minute video session the patient books with the therapist at `at`, accepted by the therapist: its id. */
export async function acceptedSession(t: TestAura, patient: Person, therapist: Person, at: string): Promise<string> {
  const input = { therapistId: therapist.id, scheduledAt: at, durationMinutes: 60, sessionType: 'VIDEO' as const };
  const { id } = (await t.request(ScheduleSessionDocument, { input }, patient.token)).data!.scheduleTherapySession;
  await t.request(AcceptSessionDocument, { id }, therapist.token);
  return id;
}
