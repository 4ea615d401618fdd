import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response, Router } from 'express';
import { publicAccess, routes } from '../http/access.js';
import type { Db } from './knex.js';

/**
 * Benchmark support, mounted only when BENCH_COUNT_QUERIES=true: counts the SQL queries each
 * request runs (knex 'query' events, attributed to the request through async context) and serves
 * the tally at GET /__bench/queries (`?reset=1` starts a new tally). Never part of a normal start.
 */
export interface QueryTally {
  requests: number;
  queries: number;
  /** Queries run outside any request (start-up work, timers). */
  background: number;
  min: number | null;
  max: number | null;
  /** How many requests ran each number of queries. */
  histogram: Record<string, number>;
  /** Requests being handled now (a client that gave up leaves its request running). */
  inflight: number;
}

export function queryCounter(db: Db): {
  middleware: (req: Request, res: Response, next: NextFunction) => void;
  router: Router;
} {
  const store = new AsyncLocalStorage<{ n: number }>();
  let tally: QueryTally;
  let inflight = 0;
  const reset = () => {
    tally = { requests: 0, queries: 0, background: 0, min: null, max: null, histogram: {}, inflight: 0 };
  };
  reset();
  db.on('query', () => {
    const s = store.getStore();
    if (s) s.n++;
    else tally.background++;
  });

  const middleware = (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/__bench/')) return next();
    const s = { n: 0 };
    inflight++;
    // A handler goes on after its client has gone: it is in flight until it ends its response
    // (or, once it has started streaming, until the connection closes and the stream stops).
    let done = false;
    const end = () => {
      if (!done) inflight--;
      done = true;
    };
    const originalEnd = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      end();
      return originalEnd(...args);
    }) as Response['end'];
    res.on('close', () => {
      if (res.headersSent) end();
    });
    res.on('finish', () => {
      tally.requests++;
      tally.queries += s.n;
      tally.min = tally.min === null ? s.n : Math.min(tally.min, s.n);
      tally.max = tally.max === null ? s.n : Math.max(tally.max, s.n);
      tally.histogram[s.n] = (tally.histogram[s.n] ?? 0) + 1;
    });
    store.run(s, next);
  };

  const r = routes();
  r.get('/__bench/queries', publicAccess, (req, res) => {
    const body = { ...tally, inflight };
    if (req.query.reset === '1') reset();
    res.json(body);
  });
  return { middleware, router: r.router };
}
