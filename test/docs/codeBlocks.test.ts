import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkDocs,
  checkMarkdown,
  documentationFiles,
  formatProblem,
  includedText,
  parseBlocks,
  syncMarkdown,
} from '../../scripts/docBlocks';

const ROOT = join(__dirname, '..', '..');

describe('the code blocks of the documentation', () => {
  test('every TypeScript block names its source, and is identical to it (npm run docs:sync rewrites them)', () => {
    expect(checkDocs(ROOT).map(formatProblem)).toEqual([]);
  });

  test('the READMEs and every page of docs/ are checked', () => {
    const files = documentationFiles(ROOT);
    expect(files).toEqual(expect.arrayContaining(['README.md', 'packages/core/README.md', 'docs/concepts.md']));
    expect(files).toContain('docs/guide.md');
  });
});

describe('include markers', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'nact-rpc-doc-blocks-'));
    mkdirSync(join(root, 'examples'));
    writeFileSync(
      join(root, 'examples', 'a.ts'),
      [
        "import { x } from './x';",
        '// #region outer',
        'export function f(): void {',
        '  // #region inner',
        '  const y = x;',
        '',
        '  console.log(y);',
        '  // #endregion inner',
        '}',
        '// #endregion outer',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('a whole file is used without its region lines; a region is dedented', () => {
    expect(includedText(root, { path: 'examples/a.ts', region: undefined })).toBe(
      "import { x } from './x';\nexport function f(): void {\n  const y = x;\n\n  console.log(y);\n}",
    );
    expect(includedText(root, { path: 'examples/a.ts', region: 'inner' })).toBe('const y = x;\n\nconsole.log(y);');
    // Regions joined with + follow each other, a blank line apart.
    expect(includedText(root, { path: 'examples/a.ts', region: 'inner+inner' })).toBe(
      'const y = x;\n\nconsole.log(y);\n\nconst y = x;\n\nconsole.log(y);',
    );
  });

  test('the marker is the nearest line before the fence that is not blank, indented blocks included', () => {
    const markdown = [
      'Text.',
      '',
      '<!-- include: examples/a.ts#inner -->',
      '',
      '```ts',
      'const y = x;',
      '```',
      '',
      '- item',
      '',
      '  <!-- include: examples/a.ts#inner -->',
      '  ```ts',
      '  const y = x;',
      '',
      '  console.log(y);',
      '  ```',
      '',
      '```sh',
      'npm test',
      '```',
    ].join('\n');
    const blocks = parseBlocks(markdown);
    expect(blocks.map((block) => [block.line, block.language, block.include?.region])).toEqual([
      [5, 'ts', 'inner'],
      [12, 'ts', 'inner'],
      [18, 'sh', undefined],
    ]);
    expect(checkMarkdown(root, 'page.md', markdown).map(formatProblem)).toEqual([
      'page.md:5: differs from examples/a.ts#inner (line 2 of the block is "(none)", the source has ""); run npm run docs:sync',
    ]);
    const synced = syncMarkdown(root, markdown);
    expect(checkMarkdown(root, 'page.md', synced)).toEqual([]);
    expect(synced.split('\n').slice(4, 9)).toEqual(['```ts', 'const y = x;', '', 'console.log(y);', '```']);
  });

  test('a TypeScript block without a marker, and a marker that names nothing, are problems', () => {
    const markdown = [
      '```ts',
      'const a = 1;',
      '```',
      '<!-- include: examples/a.ts#missing -->',
      '```typescript',
      '```',
      '<!-- include: examples/none.ts -->',
      '```ts',
      '```',
      '```json',
      '{}',
      '```',
    ].join('\n');
    expect(checkMarkdown(root, 'page.md', markdown).map(formatProblem)).toEqual([
      'page.md:1: a ```ts block without an include marker (<!-- include: path#region --> on the line before)',
      'page.md:5: its include examples/a.ts#missing: examples/a.ts has no "// #region missing"',
      'page.md:8: its include examples/none.ts: examples/none.ts does not exist',
    ]);
    expect(syncMarkdown(root, markdown)).toBe(markdown);
  });
});
