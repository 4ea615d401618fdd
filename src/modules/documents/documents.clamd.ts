import fs from 'node:fs';
import net from 'node:net';

/**
 * A small clamd client: the INSTREAM command over clamd's unix socket. The file is sent in
 * chunks, each prefixed by its length (4 bytes, big-endian), then a zero-length chunk; clamd
 * answers "stream: OK" or "stream: <signature> FOUND". Any other outcome — socket missing,
 * refused, timed out, an error reply — is "unavailable", and the caller refuses the upload.
 */
export type ScanResult =
  { status: 'clean' } | { status: 'infected'; signature: string } | { status: 'unavailable'; reason: string };

const CHUNK = 64 * 1024;

export function scanFile(socketPath: string, file: string, timeoutMs: number): Promise<ScanResult> {
  return new Promise((resolve) => {
    let settled = false;
    let reply = '';
    const input = fs.createReadStream(file, { highWaterMark: CHUNK });
    const sock = net.createConnection({ path: socketPath });
    const finish = (r: ScanResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      input.destroy();
      sock.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ status: 'unavailable', reason: 'timeout' }), timeoutMs);

    sock.on('error', (err) => finish({ status: 'unavailable', reason: err.message }));
    input.on('error', (err) => finish({ status: 'unavailable', reason: `read: ${err.message}` }));
    sock.on('data', (d: Buffer) => {
      reply += d.toString('utf8');
      if (reply.includes('\0')) sock.end();
    });
    sock.on('close', () => {
      const line = reply.replace(/\0/g, '').trim();
      const found = /^stream: (.+) FOUND$/.exec(line);
      if (found) return finish({ status: 'infected', signature: found[1] });
      if (line === 'stream: OK') return finish({ status: 'clean' });
      finish({ status: 'unavailable', reason: line || 'no answer' });
    });
    sock.on('connect', () => {
      // The z-prefixed form: commands and replies end with a NUL byte.
      sock.write('zINSTREAM\0');
      input.on('data', (chunk) => {
        const buf = chunk as Buffer;
        const len = Buffer.alloc(4);
        len.writeUInt32BE(buf.length, 0);
        sock.write(len);
        // Back-pressure: a slow scanner pauses the file read instead of buffering it in memory.
        if (!sock.write(buf)) {
          input.pause();
          sock.once('drain', () => input.resume());
        }
      });
      input.on('end', () => sock.write(Buffer.alloc(4)));
    });
  });
}

/** Asks clamd whether it is there ("PONG"); for start-up checks and tests. */
export function pingClamd(socketPath: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    let reply = '';
    const sock = net.createConnection({ path: socketPath });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('zPING\0'));
    sock.on('data', (d: Buffer) => {
      reply += d.toString('utf8');
      if (reply.includes('\0')) done(reply.replace(/\0/g, '').trim() === 'PONG');
    });
  });
}
