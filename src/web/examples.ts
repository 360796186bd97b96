import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The explorer's tabs: one per persona, each a document of real operations (see test/web/examples.test.ts). */
export const PERSONAS = ['patient', 'therapist', 'dashboard', 'analyst'] as const;
export type Persona = (typeof PERSONAS)[number];

export function exampleOperations(persona: Persona): string {
  return readFileSync(join(__dirname, 'examples', `${persona}.graphql`), 'utf8');
}
