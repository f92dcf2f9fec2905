/**
 * The code blocks of the documentation and the files they are copies of.
 *
 * Every TypeScript block of README.md, packages/*\/README.md and docs/*.md is preceded (on the
 * nearest line that is not blank) by a marker that names its source:
 *
 *     <!-- include: docs/examples/readme/quickStart.ts -->            the whole file
 *     <!-- include: docs/examples/concepts/jobs.ts#protocol -->       a region of it
 *     <!-- include: docs/examples/concepts/codecs.ts#imports+body -->  regions, one after the other
 *
 * Paths are relative to the repository root. A region is delimited in the source by
 * `// #region name` and `// #endregion name`; lines that open or close other regions inside it
 * are left out, and its lines are dedented by their common indentation (so that a block can
 * show the body of a function, and the file can run it). Regions joined with `+` follow each
 * other in the block, a blank line apart (imports at the top of a file, then statements inside
 * a function). A whole file is used as it is, without region lines. The sources are
 * type-checked by `npm run typecheck` and run by jest, so the blocks are too: `checkDocs` (test/docs/codeBlocks.test.ts) finds blocks
 * without a marker or different from their source, and `syncDocs` (`npm run docs:sync`)
 * rewrites the blocks from their sources.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The languages whose blocks must come from a source file. */
export const CHECKED_LANGUAGES: ReadonlySet<string> = new Set(['ts', 'typescript', 'tsx', 'mts', 'cts']);

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;
const MARKER = /^\s*<!--\s*include:\s*([^\s#]+)(?:#([\w.+-]+))?\s*-->\s*$/;
const REGION_LINE = /^\s*\/\/\s*#(region|endregion)\b(.*)$/;

/** Where a block comes from: a file, or a region of it. */
export interface IncludeSpec {
  readonly path: string;
  readonly region: string | undefined;
}

/** One fenced code block of a markdown file. */
export interface CodeBlock {
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly language: string;
  /** The indentation of the fence; the block's lines carry it too. */
  readonly indent: string;
  /** The block's text without the fence's indentation, lines joined by `\n`. */
  readonly content: string;
  /** 0-based indexes of the opening and closing fence lines. */
  readonly openIndex: number;
  readonly closeIndex: number;
  readonly include: IncludeSpec | undefined;
}

/** Something wrong with a block, at a line of a markdown file. */
export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** The markdown files whose blocks are checked, relative to `root`. */
export function documentationFiles(root: string): string[] {
  const files = ['README.md'];
  for (const name of readdirSync(join(root, 'packages')).sort()) {
    if (existsSync(join(root, 'packages', name, 'README.md'))) files.push(`packages/${name}/README.md`);
  }
  for (const name of readdirSync(join(root, 'docs')).sort()) {
    if (name.endsWith('.md')) files.push(`docs/${name}`);
  }
  return files;
}

/** The fenced code blocks of a markdown text, each with the include marker before it, if any. */
export function parseBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (open === null) continue;
    const [, indent = '', fence = '```', language = ''] = open;
    let close = i + 1;
    while (close < lines.length && !isClosingFence(lines[close] ?? '', fence)) close++;
    const body = lines.slice(i + 1, close).map((line) => stripIndent(line, indent.length));
    blocks.push({
      line: i + 1,
      language: language.toLowerCase(),
      indent,
      content: body.join('\n'),
      openIndex: i,
      closeIndex: close,
      include: markerBefore(lines, i),
    });
    i = close;
  }
  return blocks;
}

function isClosingFence(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.startsWith(fence) && /^[`~]+$/.test(trimmed) && trimmed[0] === fence[0];
}

function stripIndent(line: string, width: number): string {
  let cut = 0;
  while (cut < width && (line[cut] === ' ' || line[cut] === '\t')) cut++;
  return line.slice(cut);
}

function markerBefore(lines: readonly string[], fenceIndex: number): IncludeSpec | undefined {
  let j = fenceIndex - 1;
  while (j >= 0 && (lines[j] ?? '').trim() === '') j--;
  const marker = j >= 0 ? MARKER.exec(lines[j] ?? '') : null;
  return marker === null ? undefined : { path: marker[1] ?? '', region: marker[2] };
}

/** `path` or `path#region`, as a marker writes it. */
export function formatInclude({ path, region }: IncludeSpec): string {
  return region === undefined ? path : `${path}#${region}`;
}

/**
 * The text an include names: the file without its region lines, or one region of it,
 * dedented. Throws an `Error` that says what is missing.
 */
export function includedText(root: string, spec: IncludeSpec): string {
  const file = join(root, spec.path);
  if (!existsSync(file)) throw new Error(`${spec.path} does not exist`);
  const lines = readFileSync(file, 'utf8').split('\n');
  if (spec.region === undefined) return dedent(lines.filter((line) => !REGION_LINE.test(line))).join('\n');
  return spec.region
    .split('+')
    .map((region) => regionText(spec.path, lines, region))
    .join('\n\n');
}

function regionText(path: string, lines: readonly string[], region: string): string {
  const start = lines.findIndex((line) => regionName(line, 'region') === region);
  if (start < 0) throw new Error(`${path} has no "// #region ${region}"`);
  const end = lines.findIndex((line, index) => index > start && regionName(line, 'endregion') === region);
  if (end < 0) throw new Error(`${path}: region ${region} has no "// #endregion ${region}"`);
  return dedent(lines.slice(start + 1, end).filter((line) => !REGION_LINE.test(line))).join('\n');
}

function regionName(line: string, kind: 'region' | 'endregion'): string | undefined {
  const match = REGION_LINE.exec(line);
  return match !== null && match[1] === kind ? (match[2] ?? '').trim() : undefined;
}

function dedent(lines: readonly string[]): string[] {
  let first = 0;
  let last = lines.length;
  while (first < last && (lines[first] ?? '').trim() === '') first++;
  while (last > first && (lines[last - 1] ?? '').trim() === '') last--;
  const body = lines.slice(first, last).map((line) => line.trimEnd());
  const widths = body.filter((line) => line !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const width = widths.length === 0 ? 0 : Math.min(...widths);
  return body.map((line) => line.slice(width));
}

/** The problems of one markdown text: blocks without a marker, with a bad one, or out of date. */
export function checkMarkdown(root: string, file: string, markdown: string): Problem[] {
  const problems: Problem[] = [];
  for (const block of parseBlocks(markdown)) {
    const problem = blockProblem(root, block);
    if (problem !== undefined) problems.push({ file, line: block.line, message: problem });
  }
  return problems;
}

function blockProblem(root: string, block: CodeBlock): string | undefined {
  if (block.include === undefined) {
    return CHECKED_LANGUAGES.has(block.language)
      ? `a \`\`\`${block.language} block without an include marker (<!-- include: path#region --> on the line before)`
      : undefined;
  }
  let expected: string;
  try {
    expected = includedText(root, block.include);
  } catch (error) {
    return `its include ${formatInclude(block.include)}: ${(error as Error).message}`;
  }
  if (expected === block.content.replace(/\s+$/, '')) return undefined;
  return `differs from ${formatInclude(block.include)} (${firstDifference(block.content, expected)}); run npm run docs:sync`;
}

function firstDifference(actual: string, expected: string): string {
  const a = actual.split('\n');
  const e = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i]) {
      return `line ${i + 1} of the block is ${JSON.stringify(a[i] ?? '(none)')}, the source has ${JSON.stringify(e[i] ?? '(none)')}`;
    }
  }
  return 'they differ in trailing whitespace';
}

/** Every problem of every documentation file. */
export function checkDocs(root: string): Problem[] {
  return documentationFiles(root).flatMap((file) => checkMarkdown(root, file, readFileSync(join(root, file), 'utf8')));
}

/**
 * The markdown text with every block that has a marker replaced by its source's text. A block
 * whose include cannot be read is left as it is (`checkMarkdown` reports it).
 */
export function syncMarkdown(root: string, markdown: string): string {
  const lines = markdown.split('\n');
  const blocks = parseBlocks(markdown).reverse(); // from the end, so that indexes stay valid
  for (const block of blocks) {
    if (block.include === undefined) continue;
    let text: string;
    try {
      text = includedText(root, block.include);
    } catch {
      continue;
    }
    const body = text.split('\n').map((line) => (line === '' ? '' : block.indent + line));
    lines.splice(block.openIndex + 1, block.closeIndex - block.openIndex - 1, ...body);
  }
  return lines.join('\n');
}

/** Rewrites the blocks of every documentation file from their sources; returns the files changed. */
export function syncDocs(root: string): string[] {
  const changed: string[] = [];
  for (const file of documentationFiles(root)) {
    const path = join(root, file);
    const before = readFileSync(path, 'utf8');
    const after = syncMarkdown(root, before);
    if (after !== before) {
      writeFileSync(path, after);
      changed.push(relative(root, path));
    }
  }
  return changed;
}

/** A problem as one line, `file:line: message`. */
export function formatProblem({ file, line, message }: Problem): string {
  return `${file}:${line}: ${message}`;
}
