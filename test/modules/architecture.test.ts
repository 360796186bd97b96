import { join } from 'node:path';
import { AURA_MODULES } from '../../src/config/modules';
import { findArchitectureViolations } from '../support/boundaries';

const root = join(__dirname, '..', '..');
const fixtures = join(__dirname, 'fixtures', 'architecture', 'src');

describe('module architectures', () => {
  it('every module keeps the rule of the architecture its manifest entry names', () => {
    const labels = Object.fromEntries(AURA_MODULES.map((m) => [m.name, m.architecture]));
    expect(findArchitectureViolations(join(root, 'src'), labels)).toEqual([]);
  });

  it('catches a module breaking its own label, naming the file and the import (the check itself works)', () => {
    const violations = findArchitectureViolations(fixtures, { shop: 'layered', clinic: 'clean', ledger: 'hexagonal', notes: 'clean' });
    const clean = '(clean: api -> application -> domain <- infrastructure)';
    expect(violations).toEqual([
      `modules/clinic/application/visits.ts imports ../infrastructure/visit-table: application/ may import application, domain only ${clean}`,
      `modules/clinic/infrastructure/visit-table.ts imports ../application/visits: infrastructure/ may import infrastructure, application/ports, domain only ${clean}`,
      'modules/ledger/application/ledger.ts imports ../adapters/persistence/entry-table: application/ may import application, domain only (hexagonal: adapters -> application -> domain)',
      'modules/ledger/domain/entry.ts imports ../adapters/persistence/entry-table: domain/ may import domain only (hexagonal: adapters -> application -> domain)',
      'modules/notes/application/notes.ts imports ../migrations/Migration1NotesInit: nothing but the module definition imports migrations/',
      'modules/notes/domain/note.ts imports ../notes.module: nothing in a module imports its definition',
      "modules/notes/helpers.ts: only the module definition (notes.module.ts) lives at a module's root",
      'modules/notes/lib/format.ts: lib/ is not a folder of a clean module (api, application, domain, infrastructure, migrations)',
      `modules/notes/migrations/Migration1NotesInit.ts imports ../api/notes.resolver: migrations/ may import migrations, application, domain, infrastructure only ${clean}`,
      'modules/orphan: no architecture for it in the manifest',
      // a type-only import is a dependency all the same
      'modules/shop/models/order.ts imports ../services/orders: models/ may import models only (layered: api -> services -> models)',
      // so is a bare import run for its side effects
      'modules/shop/services/orders.ts imports ../api/orders.resolver: services/ may import services, models only (layered: api -> services -> models)',
    ]);
  });

  it('refuses a label it has no rules for', () => {
    expect(findArchitectureViolations(fixtures, { shop: 'onion', clinic: 'clean', ledger: 'hexagonal', notes: 'clean', orphan: 'layered' })).toEqual(
      expect.arrayContaining(['modules/shop: unknown architecture "onion" (known: layered, clean, hexagonal)']),
    );
  });

  it('fails a folder the label does not know, naming it', () => {
    expect(findArchitectureViolations(fixtures, { shop: 'clean', clinic: 'clean', ledger: 'hexagonal', notes: 'clean' })).toEqual(
      expect.arrayContaining(['modules/shop/services/orders.ts: services/ is not a folder of a clean module (api, application, domain, infrastructure, migrations)']),
    );
  });
});
