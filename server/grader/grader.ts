/**
 * The grader service: one per server process. It owns what grade runs share, which is the single
 * trace_pipe reader of the server's kernel (for local sandboxes), and hands every grade to the
 * pipeline. Sandboxes with a kernel of their own (Lima VMs) read trace_pipe through the runner.
 * With a compile cache, builds whose toolchain tree the server knows are kept by content
 * (compile-cache.ts): a local sandbox's (the host's tree, `hostToolsDir`) and a vm sandbox's
 * (its host builder's tree); a Lima VM builds with its own tree, which the server does not read.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Grade } from '../protocol/lab.js';
import { type Sandbox, SandboxError } from '../sandbox/types.js';
import type { CompileCache } from './compile-cache.js';
import type { GradeRequest, RunCompileCache, SharedKernelTrace } from './grade-run.js';
import { runCompileAhead, runGrade } from './pipeline.js';
import { runDirsRemoved } from './run-dir.js';
import { TraceRouter } from './trace.js';
import { findTracefs, KernelTracePipe, pidNamespaceOf } from './trace-pipe.js';

const TRACEFS = '/sys/kernel/tracing';

export interface GraderOptions {
  /** Compiled objects by content; without one every Check compiles. */
  compileCache?: CompileCache;
  /** The host's toolchain tree (tools-tree.ts hostToolsDir), which local sandboxes mount. */
  hostToolsDir?: string;
}

export class Grader {
  private shared: Promise<{ router: TraceRouter; pipe: KernelTracePipe }> | null = null;
  private readonly namespaces = new WeakMap<Sandbox, Promise<string | undefined>>();

  constructor(private readonly options: GraderOptions = {}) {}

  grade(req: GradeRequest): Promise<Grade> {
    return runGrade(
      req,
      req.sandbox.driver === 'local' ? this.sharedKernelTrace() : null,
      this.compileCacheFor(req.sandbox),
    );
  }

  /**
   * Builds the request's BPF objects into the compile cache without loading or running anything,
   * so that a Check of the same files skips the compiler (compile-ahead.ts). Nothing happens for a
   * sandbox whose builds the server does not cache.
   */
  async compileAhead(req: GradeRequest): Promise<void> {
    const cache = this.compileCacheFor(req.sandbox);
    if (cache) await runCompileAhead(req, cache);
  }

  private compileCacheFor(sandbox: Sandbox): RunCompileCache | null {
    const { compileCache, hostToolsDir } = this.options;
    const toolsDir = sandbox.bpfBuilder?.toolsDir ?? (sandbox.driver === 'local' ? hostToolsDir : undefined);
    return compileCache && toolsDir ? { cache: compileCache, toolsDir } : null;
  }

  /** Stops the trace reader once every run directory is removed. tracefs stays mounted: other processes on this host may use it. */
  async close(): Promise<void> {
    await runDirsRemoved();
    const shared = await this.shared?.catch(() => null);
    this.shared = null;
    shared?.pipe.stop();
  }

  private sharedKernelTrace(): SharedKernelTrace {
    return {
      subscribe: async (subscriber) => (await this.router()).subscribe(subscriber),
      pidNamespace: (sandbox) => {
        let ns = this.namespaces.get(sandbox);
        if (!ns) {
          ns = readPidNamespace(sandbox);
          this.namespaces.set(sandbox, ns);
        }
        return ns;
      },
    };
  }

  private async router(): Promise<TraceRouter> {
    this.shared ??= openSharedTrace();
    this.shared.catch(() => {
      this.shared = null; // retry on the next grade
    });
    return (await this.shared).router;
  }
}

/**
 * Mounts tracefs at its usual place when the host has not, and leaves it there: another bpflab
 * process (a second server, `bpflab validate`) may be reading it, and unmounting it under them
 * would break their grades.
 */
async function openSharedTrace() {
  let tracefs = await findTracefs();
  if (!tracefs) {
    try {
      await promisify(execFile)('mount', ['-t', 'tracefs', 'tracefs', TRACEFS]);
    } catch (error) {
      throw new SandboxError(
        'bpf_printk output cannot be read on this server',
        `tracefs is not mounted and mounting it at ${TRACEFS} failed: ${String(error)}`,
        { cause: error },
      );
    }
    tracefs = TRACEFS;
  }
  let router: TraceRouter | null = null;
  const pipe = new KernelTracePipe(tracefs, (line) => router?.route(line));
  router = new TraceRouter(pipe, pidNamespaceOf);
  return { router, pipe };
}

/** Asked inside the sandbox: namespace ids are global, so this is what the host sees too. */
async function readPidNamespace(sandbox: Sandbox): Promise<string | undefined> {
  const r = await sandbox.exec(['readlink', '/proc/self/ns/pid'], { timeoutMs: 5_000, maxOutputBytes: 256 });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}
