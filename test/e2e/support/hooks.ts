import { closeBrowser, markTestStart, saveFailureArtifacts } from './browser.js';
import { cleanupApps } from './server.js';

/** Root hooks of the browser suite: evidence of every failure, then a clean machine. */
export const mochaHooks = {
  beforeEach() {
    markTestStart();
  },
  async afterEach(this: Mocha.Context) {
    const test = this.currentTest;
    if (test?.state !== 'failed') return;
    this.timeout(60_000);
    const files = await saveFailureArtifacts(test.fullTitle());
    if (files.length)
      console.error(`    saved: ${files.map((f) => f.replace(process.cwd() + '/', '')).join(', ')}`);
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await closeBrowser();
    await cleanupApps();
  },
};
