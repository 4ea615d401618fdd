import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer, { MulterError, type StorageEngine } from 'multer';
import { BadRequestError } from './errors.js';

/**
 * Multipart uploads, shared by every module that accepts files. Each file is streamed to a
 * temporary file on disk (never held in memory) while its SHA-256 is computed; the handler gets
 * `req.uploads`. Temporary files the request did not move away are removed before the response
 * ends — whatever ends it: a size limit, a refused CSRF token, a validation error or success.
 */
export interface UploadedFile {
  field: string;
  /** The name the browser sent, unsanitised: clean it before storing or showing it. */
  originalName: string;
  /** The media type the browser claimed: never trusted, kept for logging only. */
  claimedType: string;
  tempPath: string;
  size: number;
  sha256: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      uploads?: UploadedFile[];
    }
  }
}

export interface UploadOptions {
  /** Where temporary files go: a folder on the same file system as their final place. */
  tempDir: string;
  maxBytes: number;
  /** The multipart field holding the files. */
  field: string;
  maxFiles: number;
}

export const TEMP_PREFIX = 'upload-';

interface Stored {
  path: string;
  size: number;
  sha256: string;
}

/** A multer storage engine that writes through a hash into a new temporary file. */
function hashingDiskStorage(
  tempDir: string,
  track: (req: Request, p: Promise<string>) => void,
): StorageEngine {
  return {
    _handleFile(req, file, cb) {
      const target = path.join(
        tempDir,
        `${TEMP_PREFIX}${Date.now()}-${crypto.randomBytes(12).toString('hex')}`,
      );
      const hash = crypto.createHash('sha256');
      let size = 0;
      const through = new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      const out = fs.createWriteStream(target, { flags: 'wx', mode: 0o600 });
      const written = pipeline(file.stream, through, out);
      // The tracked promise settles only once the file is closed, so cleanup never races the write.
      track(
        req,
        written.then(
          () => target,
          () => target,
        ),
      );
      written.then(
        () =>
          cb(null, {
            path: target,
            size,
            sha256: hash.digest('hex'),
          } satisfies Stored as Partial<Express.Multer.File>),
        (err: unknown) => cb(err as Error),
      );
    },
    _removeFile(_req, file, cb) {
      fs.rm((file as unknown as Stored).path, { force: true }, () => cb(null));
    },
  };
}

const pending = new WeakMap<Request, Promise<string>[]>();

/** Removes every temporary file this request created that is still there. */
export async function removeRequestTemps(req: Request): Promise<void> {
  const list = pending.get(req) ?? [];
  const paths = await Promise.all(list);
  await Promise.all(paths.map((p) => fs.promises.rm(p, { force: true })));
}

/**
 * Middleware accepting up to `maxFiles` files in `field` (plus ordinary text fields). Put it
 * before the route's final handler: `routes()` runs the CSRF check after it, on the parsed body.
 */
export function uploadFiles(opts: UploadOptions): RequestHandler {
  fs.mkdirSync(opts.tempDir, { recursive: true, mode: 0o700 });
  const storage = hashingDiskStorage(opts.tempDir, (req, p) => {
    const list = pending.get(req) ?? [];
    list.push(p);
    pending.set(req, list);
  });
  const parser = multer({
    storage,
    // Browsers send names as raw UTF-8 bytes; busboy's default would read them as Latin-1.
    defParamCharset: 'utf8',
    limits: {
      fileSize: opts.maxBytes,
      files: opts.maxFiles,
      fields: 30,
      fieldSize: 64 * 1024,
      parts: opts.maxFiles + 30,
    },
  }).array(opts.field, opts.maxFiles);

  return (req: Request, res: Response, next: NextFunction) => {
    // Hold the end of the response until the request's temporary files are gone, so a client
    // that has its answer can rely on nothing being left behind.
    const end = res.end.bind(res) as (...a: unknown[]) => Response;
    let ending = false;
    res.end = ((...args: unknown[]) => {
      if (ending) return end(...args);
      ending = true;
      removeRequestTemps(req).finally(() => end(...args));
      return res;
    }) as Response['end'];
    res.on('close', () => void removeRequestTemps(req));

    parser(req, res, (err?: unknown) => {
      const files = (req.files as Express.Multer.File[] | undefined) ?? [];
      req.uploads = files.map((f) => {
        const s = f as unknown as Express.Multer.File & Stored;
        return {
          field: f.fieldname,
          originalName: f.originalname,
          claimedType: f.mimetype,
          tempPath: s.path,
          size: s.size,
          sha256: s.sha256,
        };
      });
      next(err && !(err instanceof MulterError) && !isSystemError(err) ? new BadRequestError() : err);
    });
  };
}

/** A file-system failure (disk full, permissions) is the server's problem; anything else from the
 * parser (a malformed multipart body, a truncated request) is the client's: 400. */
function isSystemError(err: unknown): boolean {
  return (
    typeof (err as { errno?: unknown }).errno === 'number' ||
    typeof (err as { syscall?: unknown }).syscall === 'string'
  );
}

/** Temporary upload files older than `minAgeMs` (left by a crash) are deleted; returns how many. */
export async function sweepTempDir(tempDir: string, minAgeMs: number, now = Date.now()): Promise<number> {
  let removed = 0;
  let names: string[];
  try {
    names = await fs.promises.readdir(tempDir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const p = path.join(tempDir, name);
    const st = await fs.promises.stat(p).catch(() => undefined);
    if (!st || !st.isFile() || now - st.mtimeMs < minAgeMs) continue;
    await fs.promises.rm(p, { force: true });
    removed++;
  }
  return removed;
}
