import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as Esbuild from 'esbuild';
import express, { type Router } from 'express';

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Aura: live sessions</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin-bottom:2em;min-width:40em}
th,td{text-align:left;padding:.3em .8em;border-bottom:1px solid #ddd}
#status{font-weight:bold}#status[data-state=live]{color:#17803d}#status[data-state=reconnecting],#status[data-state=error]{color:#b45309}
.error{color:#b91c1c}
</style>
</head>
<body>
<h1>Live sessions</h1>
<form id="signin">
  <p><label>Email <input name="email" type="email" autocomplete="username" required></label></p>
  <p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
  <p><button type="submit">Sign in</button> <span id="signin-error" class="error"></span></p>
</form>
<div id="board" hidden>
  <p>Signed in as <span id="viewer"></span> · <span id="status" data-state="signed-out"></span> · <button id="signout" type="button">Sign out</button></p>
  <h2>In session (<span id="live-count">0</span>)</h2>
  <table><thead><tr><th>Therapist</th><th>Patient</th><th>Scheduled</th><th>Started</th><th>Ended</th></tr></thead><tbody id="live"></tbody></table>
  <h2>Ended in the last day (<span id="ended-count">0</span>)</h2>
  <table><thead><tr><th>Therapist</th><th>Patient</th><th>Scheduled</th><th>Started</th><th>Ended</th></tr></thead><tbody id="ended"></tbody></table>
</div>
<script src="/dashboard/app.js"></script>
</body>
</html>
`;

/** Where `npm run build` leaves the bundled script (dist/web/dashboard/app.js); absent when running the sources. */
export const PREBUILT_DASHBOARD = join(__dirname, 'dashboard', 'app.js');

/** esbuild, loaded when the script is bundled (the sources, or the build): a start never needs it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const esbuildModule = () => require('esbuild') as typeof Esbuild;

/** The dashboard's script, bundled from our own source (dashboard/main.ts). */
export async function bundleDashboard(entry = join(__dirname, 'dashboard', 'main.ts')): Promise<string> {
  const result = await esbuildModule().build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    loader: { '.graphql': 'text' },
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

let bundled: Promise<string> | undefined;

/** GET /dashboard (the page) and /dashboard/app.js (its script, built at the first request). */
export function dashboardRoutes(): Router {
  const router = express.Router();
  router.get('/dashboard', (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get('/dashboard/app.js', async (_req, res, next) => {
    try {
      // The build bundled it (npm start, the Docker image); from the sources (npm run dev) it is bundled once, in memory.
      bundled ??= existsSync(PREBUILT_DASHBOARD) ? readFile(PREBUILT_DASHBOARD, 'utf8') : bundleDashboard().finally(() => esbuildModule().stop());
      res.type('js').send(await bundled);
    } catch (error) {
      bundled = undefined;
      next(error);
    }
  });
  return router;
}
