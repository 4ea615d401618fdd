/**
 * Pure rules of documents: file names, download headers, approval states. No database, no clock.
 */
export const CATEGORIES = [
  'charter',
  'business_case',
  'project_plan',
  'status_report',
  'change_request',
  'closure_report',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const APPROVAL_STATES = ['not_submitted', 'pending', 'approved', 'rejected', 'returned'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

export const MAX_NAME_LENGTH = 200;

// C0 and C1 controls, DEL, bidirectional embeddings/overrides/isolates and marks, zero-width and
// other invisible format characters that could disguise a name ("invoice\u202Efdp.exe").
const UNSAFE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;
const SEPARATORS = /[/\\]/g;
const WINDOWS_RESERVED = /[<>:"|?*]/g;

/**
 * A stored original file name: no path (only the last segment), no separators, no control or
 * bidirectional-override characters, no leading dots, trimmed and length-limited; Arabic and
 * other letters kept. Returns '' when nothing usable is left.
 */
export function sanitizeFileName(raw: string, maxLength = MAX_NAME_LENGTH): string {
  let s = (raw ?? '').normalize('NFC').replace(UNSAFE, '');
  const segments = s
    .split(SEPARATORS)
    .filter((x) => x.trim() !== '' && x.trim() !== '.' && x.trim() !== '..');
  s = (segments.pop() ?? '').replace(WINDOWS_RESERVED, '_');
  s = s.replace(/\s+/g, ' ').trim().replace(/^\.+/, '').trim();
  if ([...s].length > maxLength) {
    const chars = [...s];
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && s.length - dot <= 10 ? s.slice(dot) : '';
    s =
      chars
        .slice(0, maxLength - [...ext].length)
        .join('')
        .trim() + ext;
  }
  return s;
}

/** The file name without its extension, for a default title. */
export function baseName(name: string): string {
  const dot = name.lastIndexOf('.');
  return (dot > 0 ? name.slice(0, dot) : name).trim();
}

/** The name given to a file whose sanitised name is empty. */
export function fallbackName(ext: string): string {
  return `document.${ext}`;
}

/** Gives a name the extension of its real kind when it carries another one. */
export function withExtension(name: string, kind: string): string {
  const ext = kind === 'jpg' ? /\.(jpe?g)$/i : new RegExp(`\\.${kind}$`, 'i');
  return ext.test(name) ? name : `${name}.${kind}`;
}

const EXTENSION_KIND: Record<string, string> = {
  pdf: 'pdf',
  docx: 'docx',
  xlsx: 'xlsx',
  pptx: 'pptx',
  png: 'png',
  jpg: 'jpg',
  jpeg: 'jpg',
  txt: 'txt',
  csv: 'csv',
};

/**
 * True when the name's extension claims one accepted kind and the content is another (a text file
 * named .pdf, a PNG named .docx): such a file is refused rather than silently renamed. Names with
 * no or another extension get the real kind's extension instead.
 */
export function nameContradictsKind(name: string, kind: string): boolean {
  const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  const claimed = ext ? EXTENSION_KIND[ext] : undefined;
  if (!claimed || claimed === kind) return false;
  const text = (k: string) => k === 'txt' || k === 'csv';
  return !(text(claimed) && text(kind));
}

/** RFC 5987 / RFC 6266: filename* in UTF-8 for every browser, with a plain ASCII fallback. */
export function contentDisposition(type: 'attachment' | 'inline', name: string): string {
  const ascii =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^\x20-\x7e]/g, '_')
      .replace(/["\\%;]/g, '_')
      .trim() || 'download';
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Only PDFs and images are ever shown in the browser; everything else is a download. */
export function isPreviewable(mediaType: string): boolean {
  return mediaType === 'application/pdf' || mediaType === 'image/png' || mediaType === 'image/jpeg';
}

/** The response's Content-Type: text is declared UTF-8 so nothing guesses its encoding. */
export function responseType(mediaType: string): string {
  return mediaType.startsWith('text/') ? `${mediaType}; charset=utf-8` : mediaType;
}

/** A version's approval state from the status of its latest approval request (or none). */
export function approvalState(latestStatus: string | null | undefined): ApprovalState {
  switch (latestStatus) {
    case 'pending':
    case 'approved':
    case 'rejected':
    case 'returned':
      return latestStatus;
    default:
      // none, or withdrawn: the version can be submitted (again)
      return 'not_submitted';
  }
}

/** A version may be submitted when it is not awaiting a decision and not already approved. */
export function canSubmitState(state: ApprovalState): boolean {
  return state !== 'pending' && state !== 'approved';
}

/** Human-readable size, in the reader's digits via the formatter given. */
export function sizeParts(bytes: number): { value: number; unit: 'B' | 'KB' | 'MB' | 'GB'; digits: number } {
  if (bytes < 1024) return { value: bytes, unit: 'B', digits: 0 };
  if (bytes < 1024 * 1024) return { value: bytes / 1024, unit: 'KB', digits: 1 };
  if (bytes < 1024 * 1024 * 1024) return { value: bytes / 1024 / 1024, unit: 'MB', digits: 1 };
  return { value: bytes / 1024 / 1024 / 1024, unit: 'GB', digits: 2 };
}
