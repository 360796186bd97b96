import { loadSettings, type Settings } from '../config/env';

/** Settings for building the graph without serving it: no secret or data dir is needed. */
export function offlineSettings(): Settings {
  return loadSettings({ ...process.env, JWT_SECRET: 'x'.repeat(32), LOG_LEVEL: 'silent', AURA_MODULES_ENABLED: '', REDIS_URL: '' });
}
