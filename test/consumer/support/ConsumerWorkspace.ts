import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runStep } from './runStep';

/** The repository's root, whose packages are packed and whose test tools the consumers borrow. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** The publishable packages: what `npm pack` packs and the consumers install. */
export const PUBLISHED_PACKAGES = ['core', 'transport', 'runtime-nact', 'testing'] as const;
export type PublishedPackage = (typeof PUBLISHED_PACKAGES)[number];

/**
 * Test tools the consumer projects use, linked from the repository's node_modules instead
 * of downloaded again: a consumer has its own copies, but which copy runs does not change
 * what is being tested (how the nact-rpc packages load), and the install stays fast and
 * offline but for nact-rpc's own dependencies.
 */
const BORROWED_TOOLS = ['jest', 'ts-jest', 'typescript', '@types/jest', '@types/node'];

const FIXTURES = join(__dirname, '..', 'fixtures');

/** The source every folder under fixtures/typecheck without sources of its own gets a copy of. */
const TYPECHECK_SHARED_SOURCE = 'consumer.ts';

/**
 * The consumers' world, in a temporary directory outside the repository so that nothing
 * resolves from the repository's node_modules by accident:
 *
 * ```
 * <tmp>/nact-rpc-consumer-XXXXXX/
 *   tarballs/        what `npm pack` wrote
 *   consumers/       one install root: package.json, node_modules (the tarballs, their
 *                    dependencies, the borrowed tools), and a copy of fixtures/ with one
 *                    folder (own package.json and tsconfig) per consumer project
 *   bundle/          the esbuild bundle, away from any node_modules
 *   jest-cache/      the consumers' jest cache, fresh each run
 * ```
 */
export class ConsumerWorkspace {
  private createdRoot: string | undefined;
  private readonly tarballs = new Map<PublishedPackage, string>();

  /** The temporary directory; made by {@link pack}, so that a run that skips every test leaves nothing behind. */
  get root(): string {
    if (this.createdRoot === undefined) throw new Error('the consumer workspace is made by pack(), which has not run');
    return this.createdRoot;
  }

  get tarballDir(): string {
    return join(this.root, 'tarballs');
  }

  get consumers(): string {
    return join(this.root, 'consumers');
  }

  get bundleDir(): string {
    return join(this.root, 'bundle');
  }

  get jestCache(): string {
    return join(this.root, 'jest-cache');
  }

  /** Makes the temporary directory and packs the built packages into it; run after `npm run build`. */
  async pack(): Promise<void> {
    this.createdRoot = mkdtempSync(join(tmpdir(), 'nact-rpc-consumer-'));
    mkdirSync(this.tarballDir);
    const workspaces = PUBLISHED_PACKAGES.flatMap((name) => ['--workspace', `packages/${name}`]);
    await runStep({
      command: 'npm',
      args: ['pack', ...workspaces, '--pack-destination', this.tarballDir],
      cwd: REPO_ROOT,
      timeoutMs: 60_000,
    });
    const written = readdirSync(this.tarballDir);
    for (const name of PUBLISHED_PACKAGES) {
      const file = written.find((candidate) => candidate.startsWith(`nact-rpc-${name}-`) && candidate.endsWith('.tgz'));
      if (file === undefined)
        throw new Error(`npm pack wrote no tarball of @nact-rpc/${name} (it wrote: ${written.join(', ')})`);
      this.tarballs.set(name, join(this.tarballDir, file));
    }
  }

  /** The tarball of one package; after {@link pack}. */
  tarball(name: PublishedPackage): string {
    const path = this.tarballs.get(name);
    if (path === undefined) throw new Error(`no tarball of @nact-rpc/${name}: packing failed (see the first failure)`);
    return path;
  }

  /**
   * Copies the fixture projects, installs the tarballs as a user would (their own
   * dependencies come from the registry or npm's cache) and links the borrowed tools.
   */
  async install(): Promise<void> {
    cpSync(FIXTURES, this.consumers, { recursive: true });
    const typecheck = join(this.consumers, 'typecheck');
    for (const entry of readdirSync(typecheck, { withFileTypes: true })) {
      const project = join(typecheck, entry.name);
      if (entry.isDirectory() && !readdirSync(project).some((file) => file.endsWith('.ts'))) {
        cpSync(join(typecheck, TYPECHECK_SHARED_SOURCE), join(project, TYPECHECK_SHARED_SOURCE));
      }
    }
    writeFileSync(
      join(this.consumers, 'package.json'),
      `${JSON.stringify({ name: 'nact-rpc-consumers', private: true, version: '0.0.0' }, null, 2)}\n`,
    );
    await runStep({
      command: 'npm',
      args: [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        ...PUBLISHED_PACKAGES.map((name) => this.tarball(name)),
      ],
      cwd: this.consumers,
      timeoutMs: 90_000,
    });
    for (const tool of BORROWED_TOOLS) {
      const target = join(REPO_ROOT, 'node_modules', tool);
      if (!existsSync(target)) throw new Error(`${tool} is not installed in the repository: run npm ci`);
      const link = join(this.consumers, 'node_modules', tool);
      mkdirSync(join(link, '..'), { recursive: true });
      symlinkSync(target, link, 'junction');
    }
  }

  /** A path inside the consumers' install root. */
  consumerPath(...segments: string[]): string {
    return join(this.consumers, ...segments);
  }

  /**
   * Removes everything; safe to call whatever state the workspace is in. With
   * `NACT_RPC_KEEP_CONSUMER=1` in the environment it is kept, to look into a failure by hand.
   */
  dispose(): void {
    if (this.createdRoot === undefined) return;
    if (process.env.NACT_RPC_KEEP_CONSUMER === '1') {
      process.stderr.write(`consumer test: kept ${this.createdRoot} (NACT_RPC_KEEP_CONSUMER=1)\n`);
      return;
    }
    rmSync(this.createdRoot, { recursive: true, force: true, maxRetries: 3 });
  }
}
