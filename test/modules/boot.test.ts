import 'reflect-metadata';
import { Container } from 'inversify';
import { loadSettings } from '../../src/config/env';
import { AURA_MODULES } from '../../src/config/modules';
import { TokenService } from '../../src/platform/auth';
import { OutboxEventBus } from '../../src/platform/event-dispatcher';
import { inProcessBus } from '../../src/platform/pubsub';
import { createLogger } from '../../src/platform/logger';
import { inject, injectable } from 'inversify';
import { billingModule } from '../../src/modules/billing/billing.module';
import { defineModule, provide, subscriberName, type ModuleContext, type ModuleDefinition, type ModuleManifestEntry } from '../../src/platform/module';
import { orderModules, registerModules } from '../../src/platform/module-loader';
import { ServiceRegistry, serviceKey } from '../../src/platform/registry';

function entry(name: string, dependsOn: string[] = [], parts: Partial<ModuleDefinition> = {}): ModuleManifestEntry {
  const module = defineModule({ name, entities: [], migrations: [], providers: [], resolvers: [], ...parts });
  return { name, architecture: 'clean', dependsOn, load: () => module };
}

function moduleContext(): ModuleContext {
  const log = createLogger('silent');
  const container = new Container();
  const settings = loadSettings({ JWT_SECRET: 'x'.repeat(32), AURA_DATA_DIR: '/tmp/aura-boot' });
  return {
    container,
    registry: new ServiceRegistry(container),
    events: new OutboxEventBus(log, inProcessBus(), { pollMs: 1000, maxAttempts: 3, retryBaseMs: 10, batchSize: 100, workers: 1 }),
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
  interface Greeter {
    greet(): string;
  }
  const Greeter = serviceKey<Greeter>('test.Greeter');

  @injectable()
  class EnglishGreeter implements Greeter {
    greet(): string {
      return 'hello';
    }
  }

  @injectable()
  class Host {
    constructor(@inject(Greeter) readonly greeter: Greeter) {}
  }

  it("injects a contract another module provides into a class's constructor", () => {
    const ctx = moduleContext();
    const provider = entry('provider', [], { provides: [provide(Greeter, EnglishGreeter)] });
    const consumer = entry('consumer', ['provider'], { providers: [Host] });
    registerModules(orderModules([consumer, provider]), ctx);
    expect(ctx.container.get(Host).greeter.greet()).toBe('hello');
    expect(ctx.registry.get(Greeter)).toBe(ctx.container.get(EnglishGreeter));
  });

  it('binds every module before building any, so a class may need a contract of a module later in the order', () => {
    const ctx = moduleContext();
    const [consumer, provider] = [entry('consumer', [], { providers: [Host] }), entry('provider', [], { provides: [provide(Greeter, EnglishGreeter)] })];
    registerModules([consumer, provider], ctx);
    expect(ctx.container.get(Host).greeter.greet()).toBe('hello');
  });

  it('refuses to boot a module whose class needs a contract no enabled module provides, naming both', () => {
    expect(() => registerModules([entry('consumer', [], { providers: [Host] })], moduleContext())).toThrow(
      'Module "consumer": Host needs test.Greeter, which is neither a class of the module nor a contract an enabled module provides',
    );
  });

  it('names a class the module forgot to list', () => {
    @injectable()
    class Helper {}
    @injectable()
    class NeedsHelper {
      constructor(@inject(Helper) readonly helper: Helper) {}
    }
    expect(() => registerModules([entry('forgetful', [], { providers: [NeedsHelper] })], moduleContext())).toThrow(
      'Module "forgetful": NeedsHelper needs Helper, which is neither a class of the module nor a contract an enabled module provides',
    );
  });

  it("passes on a constructor's own error as it is, not as a missing service", () => {
    @injectable()
    class Broken {
      constructor() {
        throw new Error('bad settings');
      }
    }
    expect(() => registerModules([entry('broken', [], { providers: [Broken] })], moduleContext())).toThrow(/^bad settings$/);
  });

  it('refuses a second provider of the same contract', () => {
    const [first, second] = [entry('first', [], { provides: [provide(Greeter, EnglishGreeter)] }), entry('second', [], { provides: [provide(Greeter, EnglishGreeter)] })];
    expect(() => registerModules([first, second], moduleContext())).toThrow('Module "second" provides test.Greeter, which another module already provides');
  });

  it('refuses a manifest entry whose module has another name', () => {
    const odd: ModuleManifestEntry = { ...entry('users'), load: () => entry('accounts').load() };
    expect(() => registerModules([odd], moduleContext())).toThrow('Manifest entry "users" loaded a module named "accounts"');
  });

  it('says clearly when nobody provides a service', () => {
    expect(() => moduleContext().registry.get(Greeter)).toThrow('No module provides test.Greeter');
  });

  it("keys a handler's deliveries by module and class, as stored deliveries already are", () => {
    expect((billingModule.handlers ?? []).map((h) => subscriberName('billing', h.handler))).toEqual([
      'billing.invoicing',
      'billing.invoicing',
      'billing.invoicing',
    ]);
  });
});
