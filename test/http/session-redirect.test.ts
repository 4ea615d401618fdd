import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { SessionStore } from '../../src/auth/session-store.js';
import { createTestApp, formBody, type Agent, type TestContext } from '../helpers/app.js';

/**
 * src/app.ts saveSessionBeforeRedirect: a browser follows a redirect as soon as it has the
 * headers, so what a form left in the session (its flash message) must be saved before them.
 */
describe('a form answered with a redirect saves its session first', () => {
  let ctx: TestContext;
  let pm: Agent;
  let server: http.Server;
  const slowSet = SessionStore.prototype.set;

  before(async () => {
    ctx = await createTestApp();
    pm = await ctx.as('pm');
    server = http.createServer(ctx.app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    // the store takes its time to save, as a busy database does
    SessionStore.prototype.set = async function (this: SessionStore, ...args: Parameters<typeof slowSet>) {
      await new Promise((r) => setTimeout(r, 150));
      return slowSet.apply(this, args);
    };
  });
  after(async () => {
    SessionStore.prototype.set = slowSet;
    server.close();
    await ctx.close();
  });

  it('has the flash message stored when the redirect headers arrive', async () => {
    const cookie = (
      pm.agent as unknown as { jar: { getCookies(o: object): { toValueString(): string } } }
    ).jar
      .getCookies({ domain: '127.0.0.1', path: '/', script: false, secure: false })
      .toValueString();
    const body = formBody({ _csrf: pm.csrf, locale: 'en' });
    const { port } = server.address() as AddressInfo;
    const sessionAtHeaders = await new Promise<string>((resolve, reject) => {
      const req = http.request(
        {
          port,
          host: '127.0.0.1',
          method: 'POST',
          path: '/profile/preferences',
          headers: {
            cookie,
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          expect(res.statusCode).to.equal(303);
          // read the stored sessions the moment the headers are here, before the body ends
          ctx
            .db('sessions')
            .select('sess')
            .then((rows: { sess: unknown }[]) => {
              res.resume();
              resolve(
                rows.map((r) => (typeof r.sess === 'string' ? r.sess : JSON.stringify(r.sess))).join('\n'),
              );
            }, reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(sessionAtHeaders).to.contain('profile:preferencesSaved');
  });
});
