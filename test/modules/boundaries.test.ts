import { join } from 'node:path';
import { findBoundaryViolations, findDomainFrameworkReach } from '../support/boundaries';

const root = join(__dirname, '..', '..');

describe('module boundaries', () => {
  it('no module imports another module, and platform/contracts import no module', () => {
    expect(findBoundaryViolations(join(root, 'src'))).toEqual([]);
  });

  it('catches a module importing another (the check itself works)', () => {
    const violations = findBoundaryViolations(join(__dirname, 'fixtures', 'boundary-violation', 'src'));
    expect(violations).toEqual([
      'modules/billing/pricing.ts imports ../../modules/users/secret (module "users")',
      'modules/billing/pricing.ts imports ../mentalhealth/domain/session (module "mentalhealth")',
      'platform/kernel.ts imports ../modules/users/secret (module "users")',
    ]);
  });

  it('no domain/ folder reaches graphql, type-graphql, MikroORM, Inversify, express or Apollo, even through other files', () => {
    expect(findDomainFrameworkReach(join(root, 'src'))).toEqual([]);
  });

  it('catches a domain file reaching a framework through another file, and ignores type-only imports', () => {
    expect(findDomainFrameworkReach(join(__dirname, 'fixtures', 'domain-reach', 'src'))).toEqual([
      'modules/clinic/domain/visit.ts -> platform/failure.ts -> graphql',
    ]);
  });
});
