import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (`apt-get install chromium`, as .ci/run does), or CHROMIUM_PATH. */
const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((path): path is string => Boolean(path));

export const chromiumPath = CANDIDATES.find((path) => existsSync(path));

/** `describe`, or `describe.skip` with a clear reason when no chromium is installed. */
export function describeInBrowser(name: string, body: () => void): void {
  if (chromiumPath) {
    describe(name, body);
    return;
  }
  console.warn(`Skipping "${name}": no chromium at ${CANDIDATES.join(' or ')} (install it with: apt-get install -y chromium)`);
  describe.skip(name, body);
}

/** Headless chromium; the caller closes it in afterAll (playwright also kills it if this process exits). */
export function launchChromium(): Promise<Browser> {
  // As root, chromium's sandbox cannot start; the pages it opens are our own.
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
}

/** Where browser tests leave screenshots (gitignored). */
export function artifactPath(file: string): string {
  const dir = join(__dirname, '..', 'artifacts');
  mkdirSync(dir, { recursive: true });
  return join(dir, file);
}
