import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

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

/** A loaded machine (CI, two cores, other suites) may need minutes to boot a server and a browser: deadlines, not assertions. */
export const BROWSER_TEST_MS = 240_000;

/**
 * Starts something in beforeAll and stops it in afterAll, also when beforeAll timed out while it
 * was still starting (afterAll then waits for it): no browser or server is left behind.
 */
export function startedForAll<T>(start: () => Promise<T>, stop: (value: T) => Promise<void>): () => T {
  let starting: Promise<T> | undefined;
  let value: T | undefined;
  beforeAll(async () => {
    starting = start();
    value = await starting;
  }, BROWSER_TEST_MS);
  afterAll(async () => {
    await starting?.then(stop, () => undefined);
  }, BROWSER_TEST_MS);
  return () => value as T;
}

/** A page whose waits allow for a loaded machine. */
export async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(BROWSER_TEST_MS / 2);
  return page;
}

/** Headless chromium; closed by the caller (playwright also kills it if this process exits). */
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
