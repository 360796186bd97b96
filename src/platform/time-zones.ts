import { IANAZone } from 'luxon';

/** Zones already found valid, by the name asked for. IANA has about 600 names; the bound keeps case variants and aliases from growing it without end. */
const known = new Map<string, IANAZone>();
const MAX_KNOWN = 2_000;

/**
 * The zone of an IANA name, or null when there is none. Checking a name builds an
 * Intl.DateTimeFormat (luxon's isValidZone), which cost about 5 % of a booking's CPU when it ran
 * on every use: each valid name is checked once. Invalid names are not kept.
 */
export function ianaZone(name: string): IANAZone | null {
  const cached = known.get(name);
  if (cached) return cached;
  if (!IANAZone.isValidZone(name)) return null;
  if (known.size >= MAX_KNOWN) known.clear();
  const zone = IANAZone.create(name);
  known.set(name, zone);
  return zone;
}
