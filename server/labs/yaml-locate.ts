/**
 * Maps a field path (as zod reports it) to a line and column in the YAML source, so a manifest
 * error points at the offending node rather than at the file.
 */
import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * The position of the node at `path`. A path that runs past the document (a missing field) ends
 * at the deepest node that exists, which is where the field belongs. With `key`, the position
 * is that of the key itself inside the mapping at `path` (used for unrecognized keys).
 */
export function locate(
  doc: Document,
  lines: LineCounter,
  path: readonly PropertyKey[],
  key?: string,
): SourcePosition {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const segment of path) {
    const next = child(node, segment);
    if (next === undefined) break;
    node = next.value ?? next.key;
    offset = rangeStart(node) ?? rangeStart(next.key) ?? offset;
  }
  if (key !== undefined) {
    const pair = child(node, key);
    offset = rangeStart(pair?.key) ?? offset;
  }
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

/** `checks[2].needs[0]`, or `(root)` for the document itself. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(root)' : out;
}

function child(node: unknown, segment: PropertyKey): { key: unknown; value: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.find(
      (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment),
    );
    return pair ? { key: pair.key, value: pair.value } : undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { key: undefined, value: item };
  }
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}
