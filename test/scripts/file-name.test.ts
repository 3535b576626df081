import { describe, expect, it } from 'vitest';
import { AmbixError } from '../../src/errors.js';
import { datePartsIn, formatCreateDate } from '../../src/scripts/date-parts.js';
import { DEFAULT_FILE_TEMPLATE, renderFileName, slugify } from '../../src/scripts/file-name.js';

// 2026-11-21 09:05:07.250 UTC: a Saturday morning in Paris (UTC+1), still Friday evening in Los Angeles (UTC-8).
const DATE = new Date(Date.UTC(2026, 10, 21, 9, 5, 7, 250));

describe('renderFileName', () => {
  it('renders the default template with zero-padded UTC date parts', () => {
    expect(
      renderFileName(DEFAULT_FILE_TEMPLATE, { rev: '3f2a9c1b7d4e', slug: 'add_users', date: DATE }),
    ).toBe('2026_11_21_0905-3f2a9c1b7d4e_add_users');
  });

  it('computes the date parts in the configured time zone', () => {
    const template = '{year}-{month}-{day}T{hour}{minute}{second}';
    expect(renderFileName(template, { rev: 'r', slug: 's', date: DATE, timezone: 'Europe/Paris' })).toBe(
      '2026-11-21T100507',
    );
    expect(
      renderFileName(template, { rev: 'r', slug: 's', date: DATE, timezone: 'America/Los_Angeles' }),
    ).toBe('2026-11-21T010507');
    expect(
      renderFileName(template, { rev: 'r', slug: 's', date: DATE, timezone: 'Pacific/Kiritimati' }),
    ).toBe('2026-11-21T230507');
    expect(renderFileName(template, { rev: 'r', slug: 's', date: DATE, timezone: 'Pacific/Pago_Pago' })).toBe(
      '2026-11-20T220507',
    );
  });

  it('renders {epoch} in seconds', () => {
    expect(renderFileName('{epoch}_{rev}', { rev: 'r', slug: '', date: DATE })).toBe(`${1795251907}_r`);
  });

  it('drops the slug and one separator next to it when there is no message', () => {
    expect(renderFileName(DEFAULT_FILE_TEMPLATE, { rev: 'r', slug: '', date: DATE })).toBe(
      '2026_11_21_0905-r',
    );
    expect(renderFileName('{slug}_{rev}', { rev: 'r', slug: '', date: DATE })).toBe('r');
  });

  it('allows sub-folders in the template', () => {
    expect(renderFileName('{year}/{month}/{rev}_{slug}', { rev: 'r', slug: 's', date: DATE })).toBe(
      '2026/11/r_s',
    );
  });

  it('rejects an unknown token, listing the known ones', () => {
    try {
      renderFileName('{rev}_{name}_{slug}', { rev: 'r', slug: 's', date: DATE });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AmbixError);
      expect((error as AmbixError).message).toContain(
        "Unknown token {name} in the file template '{rev}_{name}_{slug}'",
      );
      expect((error as AmbixError).hint).toBe(
        'Known tokens: {rev}, {slug}, {year}, {month}, {day}, {hour}, {minute}, {second}, {epoch}.',
      );
    }
  });

  it('rejects a template that leaves the folder', () => {
    expect(() => renderFileName('../{rev}', { rev: 'r', slug: 's', date: DATE })).toThrow(
      /unusable file name/,
    );
    expect(() => renderFileName('{slug}', { rev: 'r', slug: '', date: DATE })).toThrow(/unusable file name/);
  });

  it('rejects an unknown time zone', () => {
    expect(() =>
      renderFileName('{rev}', { rev: 'r', slug: '', date: DATE, timezone: 'Mars/Olympus' }),
    ).toThrow("Unknown time zone 'Mars/Olympus'.");
  });
});

describe('slugify', () => {
  it('lowercases words and joins them with underscores', () => {
    expect(slugify('Add users table')).toBe('add_users_table');
    expect(slugify("  add 'email' column, to USERS!  ")).toBe('add_email_column_to_users');
  });

  it('drops accents and characters outside ASCII letters and digits', () => {
    expect(slugify('Crée la table élève — v2')).toBe('cree_la_table_eleve_v2');
    expect(slugify('日本語')).toBe('');
  });

  it('cuts a long slug at a word boundary and marks the cut with an underscore, as Alembic does', () => {
    const slug = slugify('add a column for the preferred display name of each user');
    expect(slug).toBe('add_a_column_for_the_preferred_display_');
    expect(slug.length).toBeLessThanOrEqual(41);
    expect(slugify('abcdefghij klm', 10)).toBe('abcdefghij_');
    expect(slugify('abc defghijklm', 10)).toBe('abc_');
  });

  it('leaves a slug of exactly the limit alone', () => {
    expect(slugify('abcde fghi', 10)).toBe('abcde_fghi');
  });
});

describe('formatCreateDate', () => {
  it('writes YYYY-MM-DD HH:MM:SS.ffffff in the time zone', () => {
    expect(formatCreateDate(DATE)).toBe('2026-11-21 09:05:07.250000');
    expect(formatCreateDate(DATE, 'Asia/Kolkata')).toBe('2026-11-21 14:35:07.250000');
  });

  it('writes midnight as 00, not 24', () => {
    expect(datePartsIn(new Date(Date.UTC(2026, 0, 1, 0, 0, 0)), 'UTC').hour).toBe('00');
  });
});
