import { join } from 'node:path';
import { findBoundaryViolations } from '../support/boundaries';

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
});
