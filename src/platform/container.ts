/** Keys under which the platform binds its own services in the Inversify container. */
export const PLATFORM = {
  Settings: Symbol.for('aura.platform.Settings'),
  Events: Symbol.for('aura.platform.Events'),
  Tokens: Symbol.for('aura.platform.Tokens'),
  Registry: Symbol.for('aura.platform.Registry'),
  Log: Symbol.for('aura.platform.Log'),
  Clock: Symbol.for('aura.platform.Clock'),
  EventLog: Symbol.for('aura.platform.EventLog'),
  RateLimits: Symbol.for('aura.platform.RateLimits'),
  AccessAudit: Symbol.for('aura.platform.AccessAudit'),
  References: Symbol.for('aura.platform.References'),
} as const;
