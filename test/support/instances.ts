import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_JWT_SECRET } from './aura';
import { scratchDatabase } from './database';
import { freePort, startAuraProcess, type AuraProcess } from './process';

export interface TwoInstances {
  a: AuraProcess;
  b: AuraProcess;
  /** Stops both (their exit codes), drops the database and removes the data dir. */
  stop(): Promise<Array<number | null>>;
}

/**
 * Two Aura processes on one scratch PostgreSQL database and the shared Redis, started at once on the
 * empty database (one migrates, the other waits). Both dispatch events; B only when woken by its own
 * commits (no polling), so what A causes, A's dispatcher fans out, and B's subscribers can only hear
 * it through Redis. Nothing is left behind when a start fails.
 */
export async function startTwoInstances(name: string): Promise<TwoInstances> {
  const database = await scratchDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), `aura-${name}-`));
  const env = {
    DATABASE_URL: database.url!,
    REDIS_URL: process.env.REDIS_URL!,
    AURA_DATA_DIR: dataDir,
    JWT_SECRET: TEST_JWT_SECRET,
    AURA_ADMIN_EMAIL: 'admin@aura.test',
    AURA_ADMIN_PASSWORD: 'admin-password-1',
    AURA_MIN_LEAD_MINUTES: '0',
    AURA_EARLY_START_MINUTES: '4320',
    LOG_LEVEL: 'warn',
  };
  const a = startAuraProcess(await freePort(), { ...env, AURA_EVENT_POLL_MS: '100' });
  const b = startAuraProcess(await freePort(), { ...env, AURA_EVENT_POLL_MS: '3600000' });
  const stop = async () => {
    const codes = await Promise.all([a.stop(), b.stop()]);
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
    return codes;
  };
  try {
    await Promise.all([a.ready(), b.ready()]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { a, b, stop };
}
