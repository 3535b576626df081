import { createHash } from 'node:crypto';

/**
 * sha256 of a migration file's text, normalized so the same file checked out on another OS has the same checksum:
 * a leading byte-order mark is dropped and CRLF/CR line endings become LF.
 */
export function migrationChecksum(text: string): string {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  return createHash('sha256').update(normalized, 'utf8').digest('hex');
}
