import { AmbixError } from '../errors.js';
import { datePartsIn } from './date-parts.js';

export const DEFAULT_FILE_TEMPLATE = '{year}_{month}_{day}_{hour}{minute}-{rev}_{slug}';
export const DEFAULT_TRUNCATE_SLUG_LENGTH = 40;

export interface FileNameInput {
  readonly rev: string;
  /** From slugify(message); may be empty. */
  readonly slug: string;
  readonly date: Date;
  /** IANA time zone for the date tokens. Default UTC. */
  readonly timezone?: string;
}

const TOKENS = ['rev', 'slug', 'year', 'month', 'day', 'hour', 'minute', 'second', 'epoch'] as const;
type Token = (typeof TOKENS)[number];
const TOKEN = /\{([A-Za-z_]+)\}/g;

/**
 * A new migration's file name (without extension) from a template such as the default
 * `{year}_{month}_{day}_{hour}{minute}-{rev}_{slug}`. Month to second are two digits, the year four, `{epoch}` is
 * in seconds. With no message the `{slug}` token and one separator next to it are dropped, so the name does not
 * end in `_`. The template may contain `/` to put files in sub-folders.
 */
export function renderFileName(template: string, input: FileNameInput): string {
  const unknown = [...template.matchAll(TOKEN)].map((m) => m[1]!).filter((name) => !isToken(name));
  if (unknown.length > 0) {
    throw new AmbixError(
      'CONFIG_INVALID',
      `Unknown token ${unknown.map((name) => `{${name}}`).join(', ')} in the file template '${template}'.`,
      { hint: `Known tokens: ${TOKENS.map((name) => `{${name}}`).join(', ')}.`, details: { template } },
    );
  }
  const parts = datePartsIn(input.date, input.timezone);
  const values: Record<Token, string> = {
    ...parts,
    rev: input.rev,
    slug: input.slug,
    epoch: String(Math.floor(input.date.getTime() / 1000)),
  };
  const effective = input.slug === '' ? template.replace(/[-_.]\{slug\}|\{slug\}[-_.]?/g, '') : template;
  const name = effective.replace(TOKEN, (_, token: Token) => values[token]);
  if (
    name === '' ||
    name.split(/[\\/]/).some((segment) => segment === '' || segment === '.' || segment === '..')
  ) {
    throw new AmbixError(
      'CONFIG_INVALID',
      `The file template '${template}' gives the unusable file name '${name}'.`,
      {
        hint: 'Include {rev} in the template and keep its folders relative.',
        details: { template },
      },
    );
  }
  return name;
}

function isToken(name: string): name is Token {
  return (TOKENS as readonly string[]).includes(name);
}

/**
 * The message as a file-name fragment: accents dropped, lowercase ASCII words joined by `_`. Past
 * `truncateSlugLength` characters it is cut at a word boundary and ends in `_`, the way Alembic marks a cut.
 */
export function slugify(message: string, truncateSlugLength = DEFAULT_TRUNCATE_SLUG_LENGTH): string {
  const words = message
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .match(/[a-z0-9]+/g);
  const slug = words === null ? '' : words.join('_');
  if (slug.length <= truncateSlugLength) return slug;
  const cut = slug.slice(0, truncateSlugLength);
  const boundary = cut.lastIndexOf('_');
  return `${boundary > 0 ? cut.slice(0, boundary) : cut}_`;
}
