import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * A fresh, empty database on the PostgreSQL server of DATABASE_URL (as CI runs), or none
 * when DATABASE_URL is unset and tests use the embedded default instead.
 */
export interface ScratchDatabase {
  url?: string;
  drop(): Promise<void>;
}

export const realPostgresUrl = process.env.DATABASE_URL || undefined;

export async function scratchDatabase(): Promise<ScratchDatabase> {
  if (!realPostgresUrl) return { drop: async () => undefined };
  const name = `aura_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: realPostgresUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(realPostgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: realPostgresUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
