import type { Settings } from '../config/env';
import type { PlatformAccessAudit } from './access-audit';
import type { TokenService } from './auth';
import type { Clock } from './clock';
import type { EventLog } from './event-log';
import type { EventBus } from './events';
import type { Logger } from './logger';
import type { RateLimits } from './rate-limits';
import type { References } from './references';
import { serviceKey } from './registry';

/** The platform's own services, keyed like contract services: `@inject(PLATFORM.Clock) clock: Clock`. */
export const PLATFORM = {
  Settings: serviceKey<Settings>('platform.Settings'),
  Events: serviceKey<EventBus>('platform.Events'),
  Tokens: serviceKey<TokenService>('platform.Tokens'),
  Log: serviceKey<Logger>('platform.Log'),
  Clock: serviceKey<Clock>('platform.Clock'),
  EventLog: serviceKey<EventLog>('platform.EventLog'),
  RateLimits: serviceKey<RateLimits>('platform.RateLimits'),
  AccessAudit: serviceKey<PlatformAccessAudit>('platform.AccessAudit'),
  References: serviceKey<References>('platform.References'),
} as const;
