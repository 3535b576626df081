import { describe, expect, it } from 'vitest';
import { generateRevisionId, validateRevisionId } from '../../src/scripts/revision-id.js';

describe('generateRevisionId', () => {
  it('makes 12 lowercase hex characters', () => {
    expect(generateRevisionId()).toMatch(/^[0-9a-f]{12}$/);
  });

  it('makes a different id each time', () => {
    const ids = new Set(Array.from({ length: 1000 }, generateRevisionId));
    expect(ids.size).toBe(1000);
  });
});

describe('validateRevisionId', () => {
  it('accepts hex ids and other plain words', () => {
    for (const id of ['3f2a9c1b7d4e', 'ae1027a6acf', 'initial_schema', 'v1.2']) {
      expect(() => validateRevisionId(id)).not.toThrow();
    }
  });

  it.each(['a@b', 'a-b', 'a+b', 'a:b', 'a b', 'a\tb', 'a\nb'])('rejects %j', (id) => {
    expect(() => validateRevisionId(id)).toThrow(expect.objectContaining({ code: 'INVALID_REVISION_ID' }));
  });

  it('rejects an empty id', () => {
    expect(() => validateRevisionId('')).toThrow(/revision id is empty/);
  });
});
