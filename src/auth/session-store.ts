import type { SessionData } from 'express-session';
import { ConnectSessionKnexStore } from 'connect-session-knex';

type Options = ConstructorParameters<typeof ConnectSessionKnexStore>[0];

/**
 * Sessions in the database (connect-session-knex), with fewer writes. express-session touches
 * the store on every request to push the idle expiry forward: one UPDATE per page view, which on
 * SQLite (one connection, synchronous=FULL) is an fsync that every concurrent request waits
 * behind. Here a session's expiry is written at most once per `touchEveryMs` (a full save writes
 * it too), so a session may end up to that long before its idle time is fully spent.
 */
export class SessionStore extends ConnectSessionKnexStore {
  private readonly written = new Map<string, number>();

  constructor(
    options: Options,
    private readonly touchEveryMs: number,
    private readonly now: () => number = Date.now,
  ) {
    super(options);
  }

  override async touch(sid: string, session: SessionData, callback?: () => void): Promise<void> {
    const now = this.now();
    const last = this.written.get(sid);
    if (last !== undefined && now - last < this.touchEveryMs) {
      callback?.();
      return;
    }
    this.remember(sid, now);
    return super.touch(sid, session, callback);
  }

  override async set(sid: string, session: SessionData, callback?: (err?: unknown) => void): Promise<void> {
    this.remember(sid, this.now());
    return super.set(sid, session, callback);
  }

  override async destroy(sid: string, callback?: (err?: unknown) => void): Promise<number> {
    this.written.delete(sid);
    return super.destroy(sid, callback);
  }

  private remember(sid: string, now: number): void {
    this.written.set(sid, now);
    if (this.written.size > 10_000) {
      for (const [k, t] of this.written) if (now - t >= this.touchEveryMs) this.written.delete(k);
    }
  }
}
