export type DisorderType = 'MENTAL' | 'PHYSICAL' | 'GENETIC' | 'EMOTIONAL' | 'BEHAVIORAL' | 'FUNCTIONAL';

/** A condition of the reference catalogue shipped with Aura. */
export interface Disorder {
  id: string;
  slug: string;
  name: string;
  type: DisorderType;
  description: string;
  signsAndSymptoms: string;
  symptoms: string[];
  causes: string[];
  treatment: string | null;
  prevention: string | null;
}
