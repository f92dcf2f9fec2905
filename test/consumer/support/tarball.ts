import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/**
 * The files of an `npm pack` tarball, by their path inside the package (without npm's
 * `package/` prefix). Read in-process, so that checking a tarball depends on no `tar` program.
 */
export type TarballFiles = ReadonlyMap<string, Buffer>;

const BLOCK = 512;

/**
 * Reads a gzipped tar archive as npm writes it: ustar headers, with PAX (`x`) or GNU (`L`)
 * records for paths longer than a header holds. Directories and links are skipped; npm packs
 * only regular files.
 */
export function readTarball(path: string): TarballFiles {
  const archive = gunzipSync(readFileSync(path));
  const files = new Map<string, Buffer>();
  let longPath: string | undefined;
  for (let offset = 0; offset + BLOCK <= archive.length;) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break; // end of archive
    const size = parseInt(text(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const body = archive.subarray(offset + BLOCK, offset + BLOCK + size);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      longPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1] ?? longPath;
      continue;
    }
    if (type === 'L') {
      longPath = body.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    const prefix = text(header, 345, 155);
    const name = longPath ?? (prefix === '' ? text(header, 0, 100) : `${prefix}/${text(header, 0, 100)}`);
    longPath = undefined;
    if (type === '0' || type === '\0') files.set(name.replace(/^[^/]+\//, ''), Buffer.from(body));
  }
  return files;
}

/** A NUL-terminated string field of a header. */
function text(header: Buffer, start: number, length: number): string {
  const field = header.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString('utf8');
}
