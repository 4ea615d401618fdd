/** fontkit ships no types; Masar only creates fonts from bytes and hands them to pdfkit. */
declare module 'fontkit' {
  export function create(buffer: Uint8Array, postscriptName?: string): unknown;
}
