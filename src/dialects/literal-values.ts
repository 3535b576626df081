import { AmbixError } from '../errors.js';

/** What every dialect's literals share: a Date's ISO text, bytes as hex, objects as JSON text. */

/** A valid Date's ISO 8601 text (UTC); an invalid Date is refused. */
export function isoTimestamp(value: Date): string {
  if (Number.isNaN(value.getTime()))
    throw new AmbixError('FAILED', 'An invalid Date cannot be written as a timestamp');
  return value.toISOString();
}

/** Bytes as lowercase hex digits. */
export function bytesHex(value: Uint8Array): string {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
}

/** A value as JSON text, bigints as their digits. */
export function jsonText(value: unknown): string {
  const text = JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'bigint' ? item.toString() : item,
  );
  if (text === undefined) throw new TypeError(`${typeof value} values cannot be written as SQL literals`);
  return text;
}
