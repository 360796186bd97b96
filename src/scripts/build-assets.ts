import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { bundleDashboard } from '../web/dashboard';

/**
 * `npm run build`, after tsc: what the compiled server reads besides JavaScript — the explorer's
 * example operations, and the dashboard's script bundled from our source — so that dist/ (and the
 * Docker image, which holds dist/ only) serves every page.
 */
async function main(): Promise<void> {
  const src = join(process.cwd(), 'src', 'web');
  const dist = join(process.cwd(), 'dist', 'web');
  mkdirSync(join(dist, 'examples'), { recursive: true });
  for (const file of readdirSync(join(src, 'examples')).filter((name) => name.endsWith('.graphql'))) {
    copyFileSync(join(src, 'examples', file), join(dist, 'examples', file));
  }
  mkdirSync(join(dist, 'dashboard'), { recursive: true });
  writeFileSync(join(dist, 'dashboard', 'app.js'), await bundleDashboard(join(src, 'dashboard', 'main.ts')));
  await esbuild.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
