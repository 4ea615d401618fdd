import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Conn, Db } from '../../db/knex.js';

/**
 * Sends the queued mail of `mail_outbox`: after the transaction that queued it commits (a kick)
 * and on a timer. Each row is claimed with a conditional update, so two processes never send
 * the same mail. A failed send is logged and retried with exponential backoff; it never touches
 * the decision that queued it.
 */
export interface OutgoingMail {
  id: number;
  to: string;
  subject: string;
  text: string;
  html: string;
  locale: string;
}

export type SendFn = (mail: OutgoingMail) => Promise<void>;

export const MAX_ATTEMPTS = 8;
const BATCH = 50;
/** A row claimed longer ago than this was abandoned by a stopped process: claim it again. */
const STALE_CLAIM_MS = 10 * 60_000;

/** Minutes to wait before attempt n+1 after n failures: 1, 2, 4 … capped at 6 hours. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3600_000);
}

/** SMTP when configured; otherwise each message is written as an .eml file under the outbox folder. */
export function defaultSend(config: Config): SendFn {
  if (config.mail.smtpUrl) {
    const transport = nodemailer.createTransport(config.mail.smtpUrl);
    return async (m) => {
      await transport.sendMail({
        from: config.mail.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        headers: { 'Content-Language': m.locale },
      });
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return async (m) => {
    const info = await transport.sendMail({
      from: config.mail.from,
      to: m.to,
      subject: m.subject,
      text: m.text,
      html: m.html,
      headers: { 'Content-Language': m.locale },
    });
    await fs.mkdir(config.mail.outboxDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:.]/g, '');
    const file = path.join(config.mail.outboxDir, `${stamp}-${m.id}.eml`);
    await fs.writeFile(file + '.tmp', info.message as Buffer);
    await fs.rename(file + '.tmp', file);
  };
}

export interface MailSender {
  /** Sends what is due now; resolves with the number sent. */
  drain(): Promise<number>;
  /** Starts a drain soon, without waiting for it. */
  kick(): void;
  /** Called when a transaction that queued mail commits (kicks unless turned off). */
  afterCommit(): void;
  /** Resolves when no drain is running (tests). */
  idle(): Promise<void>;
  /** Drains on a timer until the returned function is called. */
  start(intervalMs?: number): () => void;
}

export function createMailSender(
  db: Db,
  logger: Logger,
  send: SendFn,
  clock: () => Date = () => new Date(),
  options: { kickAfterCommit?: boolean } = {},
): MailSender {
  const kickAfterCommit = options.kickAfterCommit ?? true;
  let running: Promise<number> | null = null;
  let again = false;

  async function once(): Promise<number> {
    const now = clock();
    const nowIso = now.toISOString();
    const stale = new Date(now.getTime() - STALE_CLAIM_MS).toISOString();
    const rows = (await db('mail_outbox')
      .select('id', 'to_address', 'subject', 'body_text', 'body_html', 'locale', 'attempts', 'status')
      .where((q) =>
        q
          .where((p) => p.where('status', 'pending').andWhere('next_attempt_at', '<=', nowIso))
          .orWhere((p) => p.where('status', 'sending').andWhere('claimed_at', '<', stale)),
      )
      .orderBy('id')
      .limit(BATCH)) as {
      id: number;
      to_address: string;
      subject: string;
      body_text: string;
      body_html: string;
      locale: string;
      attempts: number;
      status: string;
    }[];
    let sent = 0;
    for (const r of rows) {
      const claimed = await db('mail_outbox')
        .where({ id: r.id, status: r.status })
        .modify((q) => (r.status === 'sending' ? q.where('claimed_at', '<', stale) : q))
        .update({ status: 'sending', claimed_at: clock().toISOString() });
      if (claimed !== 1) continue;
      try {
        await send({
          id: r.id,
          to: r.to_address,
          subject: r.subject,
          text: r.body_text,
          html: r.body_html,
          locale: r.locale,
        });
        await db('mail_outbox')
          .where({ id: r.id })
          .update({ status: 'sent', sent_at: clock().toISOString(), last_error: null });
        sent++;
      } catch (err) {
        const attempts = r.attempts + 1;
        const failed = attempts >= MAX_ATTEMPTS;
        logger.warn({ err, mailId: r.id, attempts, failed }, 'mail send failed');
        await db('mail_outbox')
          .where({ id: r.id })
          .update({
            status: failed ? 'failed' : 'pending',
            attempts,
            next_attempt_at: new Date(clock().getTime() + backoffMs(attempts)).toISOString(),
            last_error: String(err instanceof Error ? err.message : err).slice(0, 1000),
            claimed_at: null,
          });
      }
    }
    return sent;
  }

  async function loop(): Promise<number> {
    let total = 0;
    do {
      again = false;
      total += await once();
    } while (again);
    return total;
  }

  const sender: MailSender = {
    drain() {
      if (running) {
        again = true;
        return running;
      }
      running = loop()
        .catch((err: unknown) => {
          logger.error({ err }, 'mail outbox drain failed');
          return 0;
        })
        .finally(() => {
          running = null;
        });
      return running;
    },
    kick() {
      void sender.drain();
    },
    afterCommit() {
      if (kickAfterCommit) sender.kick();
    },
    async idle() {
      while (running) await running;
    },
    start(intervalMs = 30_000) {
      const timer = setInterval(() => sender.kick(), intervalMs);
      timer.unref();
      sender.kick();
      return () => clearInterval(timer);
    },
  };
  return sender;
}

// The sender of each database (keyed by its knex configuration, which its transactions share), so
// a commit anywhere can kick the sender of its own database.
const senders = new Map<unknown, MailSender>();

function keyOf(conn: Conn): unknown {
  return (conn as unknown as { client: { config: unknown } }).client.config;
}

export function registerMailSender(db: Db, sender: MailSender): void {
  senders.set(keyOf(db), sender);
}

export function mailSenderFor(conn: Conn): MailSender | undefined {
  return senders.get(keyOf(conn));
}

export function kickSendersFor(conn: Conn): void {
  mailSenderFor(conn)?.afterCommit();
}
