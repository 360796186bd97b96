import { ianaZone } from '../../src/platform/time-zones';

describe('IANA zones, checked once per name', () => {
  it('gives the zone of a valid name, the same one each time, and null for a name that is none', () => {
    const berlin = ianaZone('Europe/Berlin');
    expect(berlin?.name).toBe('Europe/Berlin');
    expect(ianaZone('Europe/Berlin')).toBe(berlin);
    expect(berlin!.offset(Date.UTC(2026, 6, 1))).toBe(120);
    expect(ianaZone('Mars/Olympus')).toBeNull();
    expect(ianaZone('')).toBeNull();
  });
});
