import { cleanupAll, prepareTemplate } from './db.js';

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    await prepareTemplate();
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(300_000);
    await cleanupAll();
  },
};
