import type { ResolvedConfig } from '../config/resolve-config.js';
import { UsageError } from '../errors.js';
import type { Revision, RevisionMap } from '../graph/index.js';
import { loadProject } from './project.js';

export type GraphFormat = 'mermaid' | 'dot';

export interface GraphOptions {
  readonly config: ResolvedConfig;
  readonly format?: GraphFormat;
}

export interface GraphResult {
  readonly format: GraphFormat;
  readonly text: string;
}

/**
 * The revision graph as a diagram: parents point to children (the upgrade direction), dependencies are dashed,
 * heads and labels are marked.
 */
export async function graph(options: GraphOptions): Promise<GraphResult> {
  const format = options.format ?? 'mermaid';
  if (format !== 'mermaid' && format !== 'dot') {
    throw new UsageError(`Unknown graph format '${String(format)}'; use 'mermaid' or 'dot'.`);
  }
  const { map } = await loadProject(options.config);
  const text = format === 'mermaid' ? renderMermaid(map) : renderDot(map);
  return { format, text };
}

function caption(revision: Revision): string {
  const labels = revision.branchLabels.length > 0 ? ` (${revision.branchLabels.join(', ')})` : '';
  return `${revision.id}${labels}`;
}

export function renderMermaid(map: RevisionMap): string {
  const node = nodeNames(map);
  const escapeLabel = (text: string): string =>
    text.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'));
  const lines = ['flowchart BT'];
  for (const revision of map.revisions) {
    const text = [caption(revision), revision.message]
      .filter(Boolean)
      .map((part) => escapeLabel(part!))
      .join('<br/>');
    const [open, close] = revision.isRealHead
      ? ['([', '])']
      : revision.isMergePoint
        ? ['{{', '}}']
        : ['[', ']'];
    lines.push(`  ${node(revision.id)}${open}"${text}"${close}`);
  }
  for (const revision of map.revisions) {
    for (const parent of revision.downRevisions) lines.push(`  ${node(parent)} --> ${node(revision.id)}`);
    for (const dependency of revision.dependsOn)
      lines.push(`  ${node(dependency)} -.-> ${node(revision.id)}`);
  }
  const headNodes = map.revisions
    .filter((revision) => revision.isRealHead)
    .map((revision) => node(revision.id));
  if (headNodes.length > 0) {
    lines.push('  classDef head stroke-width:3px');
    lines.push(`  class ${headNodes.join(',')} head`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderDot(map: RevisionMap): string {
  const quote = (text: string): string =>
    `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  const lines = ['digraph ambix {', '  rankdir=BT;', '  node [shape=box, fontname="Helvetica"];'];
  for (const revision of map.revisions) {
    const label = [caption(revision), revision.message].filter(Boolean).join('\n');
    const style = revision.isRealHead ? ', penwidth=2' : revision.isMergePoint ? ', shape=hexagon' : '';
    lines.push(`  ${quote(revision.id)} [label=${quote(label)}${style}];`);
  }
  for (const revision of map.revisions) {
    for (const parent of revision.downRevisions) lines.push(`  ${quote(parent)} -> ${quote(revision.id)};`);
    for (const dependency of revision.dependsOn) {
      lines.push(`  ${quote(dependency)} -> ${quote(revision.id)} [style=dashed];`);
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Mermaid node names must be simple; revision ids may hold any character but whitespace and `@-+:`. */
function nodeNames(map: RevisionMap): (id: string) => string {
  const names = new Map(map.revisions.map((revision, index) => [revision.id, `r${index}`]));
  return (id) => names.get(id) ?? id;
}
