import 'reflect-metadata';
import { Container } from 'inversify';
import { loadSettings } from '../../src/config/env';
import { AURA_MODULES } from '../../src/config/modules';
import { TokenService } from '../../src/platform/auth';
import { OutboxEventBus } from '../../src/platform/event-dispatcher';
import { inProcessBus } from '../../src/platform/pubsub';
import { createLogger } from '../../src/platform/logger';
import type { AuraModule, ModuleContext, ModuleManifestEntry } from '../../src/platform/module';
import { orderModules, registerModules } from '../../src/platform/module-loader';
import { ServiceRegistry, serviceToken } from '../../src/platform/registry';

const noop: AuraModule = { name: 'x', entities: [], migrations: [], resolvers: [class {}], register: () => undefined };

function entry(name: string, dependsOn: string[] = [], extra: Partial<ModuleManifestEntry> = {}): ModuleManifestEntry {
  return { name, architecture: 'clean', dependsOn, provides: [], load: () => ({ ...noop, name }), ...extra };
}

function moduleContext(): ModuleContext {
  const log = createLogger('silent');
  const container = new Container();
  const settings = loadSettings({ JWT_SECRET: 'x'.repeat(32), AURA_DATA_DIR: '/tmp/aura-boot' });
  return {
    container,
    registry: new ServiceRegistry(container),
    events: new OutboxEventBus(log, inProcessBus(), { pollMs: 1000, maxAttempts: 3, retryBaseMs: 10 }),
    settings,
    tokens: new TokenService(settings.jwtSecret, 60),
    log,
  };
}

describe('module boot order', () => {
  it('loads dependencies first, keeping manifest order otherwise', () => {
    const manifest = [entry('billing', ['mentalhealth', 'users']), entry('mentalhealth', ['users']), entry('users'), entry('reports')];
    expect(orderModules(manifest).map((m) => m.name)).toEqual(['users', 'mentalhealth', 'billing', 'reports']);
  });

  it('runs a subset when configured', () => {
    const manifest = [entry('users'), entry('mentalhealth', ['users']), entry('reports')];
    expect(orderModules(manifest, ['users', 'reports']).map((m) => m.name)).toEqual(['users', 'reports']);
  });

  it('refuses a dependency cycle, naming it', () => {
    const manifest = [entry('a', ['b']), entry('b', ['c']), entry('c', ['a'])];
    expect(() => orderModules(manifest)).toThrow('Module dependency cycle: a -> b -> c -> a');
  });

  it('refuses a dependency missing from the manifest', () => {
    expect(() => orderModules([entry('billing', ['payments'])])).toThrow(
      'Module "billing" depends on "payments", which is not in the manifest',
    );
  });

  it('refuses to run a module whose dependency is not enabled', () => {
    const manifest = [entry('users'), entry('mentalhealth', ['users'])];
    expect(() => orderModules(manifest, ['mentalhealth'])).toThrow(
      'Module "mentalhealth" depends on "users", which is not enabled',
    );
  });

  it('refuses an unknown module name in AURA_MODULES_ENABLED', () => {
    expect(() => orderModules([entry('users')], ['users', 'telepathy'])).toThrow('Unknown module "telepathy"');
  });

  it('orders the real manifest without complaint', () => {
    expect(orderModules(AURA_MODULES).map((m) => m.name)[0]).toBe('users');
  });
});

describe('module registration', () => {
  const Greeter = serviceToken<{ greet(): string }>('Greeter');

  it('gives a later module the service an earlier one provided, through the registry', () => {
    const ctx = moduleContext();
    const provider = entry('provider', [], {
      provides: [Greeter],
      load: () => ({ ...noop, name: 'provider', register: ({ registry }) => registry.provide(Greeter, { greet: () => 'hello' }) }),
    });
    let heard = '';
    const consumer = entry('consumer', ['provider'], {
      load: () => ({ ...noop, name: 'consumer', register: ({ registry }) => (heard = registry.get(Greeter).greet()) }),
    });
    registerModules(orderModules([consumer, provider]), ctx);
    expect(heard).toBe('hello');
  });

  it('refuses a module that does not register what the manifest says it provides', () => {
    const liar = entry('liar', [], { provides: [Greeter] });
    expect(() => registerModules([liar], moduleContext())).toThrow(
      'Module "liar" declares it provides Greeter but did not register it',
    );
  });

  it('refuses a manifest entry whose module has another name', () => {
    const odd = entry('users', [], { load: () => ({ ...noop, name: 'accounts' }) });
    expect(() => registerModules([odd], moduleContext())).toThrow('Manifest entry "users" loaded a module named "accounts"');
  });

  it('says clearly when nobody provides a service', () => {
    expect(() => moduleContext().registry.get(Greeter)).toThrow('No module provides Greeter');
  });
});
