import type { Disorder } from '../../domain/disorder';

/** A catalogue entry: a Disorder before it has an id, with treatment and prevention always written. */
export type DisorderEntry = Omit<Disorder, 'id' | 'treatment' | 'prevention'> & { treatment: string; prevention: string };
