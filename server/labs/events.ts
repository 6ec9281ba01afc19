/**
 * The lab socket events (server/protocol/lab.ts): open a lab, autosave, Check (graded and
 * recorded), Run (graded, streamed, not recorded), the Program view (built and loaded, not run),
 * reset, solution (its reveal recorded) and hints. Every payload is parsed by its zod schema in
 * `handle`; the learner is the one from the verified cookie; file paths are only ever the lab's
 * own editable files. What the editor holds is also copied into the learner's sandbox
 * (~/labs/<id>/), in the background, so the terminal sees the same files, and each save is
 * compiled ahead of the Check that usually follows it (grader/compile-ahead.ts).
 */

import type { CompileAhead } from '../grader/compile-ahead.js';
import type { GradeLock } from '../grader/grade-lock.js';
import type { Grader } from '../grader/grader.js';
import { type LiveMaps, NewestEvery } from '../grader/live-maps.js';
import { programView } from '../grader/program-view.js';
import type { Reply } from '../protocol/index.js';
import { cannotRunSentence, missingFeatures } from '../protocol/kernel-features.js';
import { type Grade, type LabProgress, type LabView, LIVE_MAPS_PER_SECOND } from '../protocol/lab.js';
import type { BpflabSocket, EventRegistrar } from '../realtime/context.js';
import { fail, handle, ok } from '../realtime/handle.js';
import { driverThatRuns } from '../sandbox/driver-advice.js';
import type { Sessions } from '../session/sessions.js';
import type { Store } from '../store/store.js';
import type { LabCatalog } from './catalog.js';
import type { Lab } from './loader.js';
import { labTimeMs } from './schema.js';
import { copyToWorkspace } from './workspace-copy.js';

const GRADE_REFUSALS = {
  busy: 'A Check or Run of yours is still in progress; wait for its result',
  'queue-full': 'Every grader is busy and the queue is full; try again in a minute',
} as const;

/**
 * What the lab events use: the catalog, the grader and its one-grade-per-learner lock, the
 * learner's saved files and attempts, their sandbox.
 */
export interface LabEventDeps {
  catalog: Pick<LabCatalog, 'get' | 'files'>;
  grader: Pick<Grader, 'grade'>;
  gradeLock: Pick<GradeLock, 'exclusive'>;
  store: Pick<Store, 'loadLabFiles' | 'saveLabFiles' | 'recordAttempt' | 'recordSolutionShown' | 'progress'>;
  sessions: Pick<Sessions, 'sandboxFor' | 'featuresFor' | 'knownFeatures' | 'driverName'>;
  compileAhead: Pick<CompileAhead, 'offer'>;
}

export function registerLabEvents(deps: LabEventDeps): EventRegistrar {
  return (socket, learnerId) => serveLabs(socket, learnerId, deps);
}

function serveLabs(
  socket: BpflabSocket,
  learnerId: string,
  { catalog, grader, gradeLock, store, sessions, compileAhead }: LabEventDeps,
): void {
  /** The lab, or a reply explaining why there is none. */
  const withLab = async <T>(labId: string, use: (lab: Lab) => Promise<Reply<T>>): Promise<Reply<T>> => {
    const found = await catalog.get(labId);
    return found.ok ? use(found.lab) : fail(found.error);
  };

  /** The learner's current files: saved ones over the starter, editable paths only. */
  const currentFiles = async (lab: Lab) => {
    const [starter, saved] = await Promise.all([
      catalog.files(lab, 'starter'),
      store.loadLabFiles(learnerId, lab.id),
    ]);
    return starter.map((f) =>
      f.readonly || saved?.[f.path] === undefined ? f : { ...f, content: saved[f.path]! },
    );
  };

  const progressIn = async (lab: Lab): Promise<LabProgress | null> =>
    (await store.progress(learnerId))[lab.id] ?? null;

  /** Mirrors the files into the learner's sandbox without holding up the reply. */
  const mirror = (lab: Lab, files: { path: string; content: string }[]) => {
    sessions.sandboxFor(learnerId).then(
      (sandbox) => copyToWorkspace(sandbox, lab, files),
      // No sandbox yet (or it failed to start): the session events tell the page; the next save copies.
      () => undefined,
    );
  };

  /**
   * The features of the learner's sandbox, known from any sandbox of this server if theirs was not
   * probed yet (one driver, one kernel and tool set): neither opening a lab nor a first Check waits
   * for a probe.
   */
  const sandboxFeatures = async () =>
    sessions.knownFeatures(learnerId) ?? (await sessions.featuresFor(learnerId));

  /**
   * Features the lab needs that the learner's sandbox lacks; empty when the sandbox cannot start
   * yet. What a sandbox of this server was probed to have answers at once (every sandbox of a
   * driver runs the same kernel), so opening a lab waits for no sandbox to start and no probe.
   */
  const missingOnSandbox = async (lab: Lab): Promise<LabView['missing']> => {
    if (lab.manifest.requires.length === 0) return [];
    try {
      return missingFeatures(lab.manifest.requires, await sandboxFeatures());
    } catch (error) {
      // The sandbox's own failure reaches the page through the session events; the lab still opens.
      console.error(`bpflab: lab:open ${lab.id} for ${learnerId}: no sandbox features:`, error);
      return [];
    }
  };

  /** Saves the files and grades them in the learner's sandbox, in their turn; answers the files graded too. */
  const grade = async (
    lab: Lab,
    submitted: Record<string, string>,
    mode: 'check' | 'run',
  ): Promise<Reply<{ grade: Grade; files: Record<string, string> }>> => {
    const refused = refusedPaths(lab, submitted);
    if (refused) return fail(refused);
    const sandbox = await sessions.sandboxFor(learnerId);
    const missing = missingFeatures(lab.manifest.requires, await sandboxFeatures());
    if (missing.length > 0) {
      return fail(cannotRunSentence(missing.map((m) => m.feature)));
    }
    const saved = (await store.loadLabFiles(learnerId, lab.id)) ?? {};
    const files = { ...editableOnly(lab, saved), ...submitted };
    await store.saveLabFiles(learnerId, lab.id, files);
    // A Run's maps go out live, paced; volatile, so a socket that cannot take one now skips it.
    const liveMaps =
      mode === 'run'
        ? new NewestEvery<LiveMaps>(1000 / LIVE_MAPS_PER_SECOND, (maps) =>
            socket.volatile.emit('lab:maps', { labId: lab.id, ...maps }),
          )
        : null;
    const outcome = await gradeLock.exclusive(
      learnerId,
      () =>
        grader.grade({
          lab,
          files,
          sandbox,
          onProgress: (p) => socket.emit('lab:progress', { labId: lab.id, ...p }),
          ...(mode === 'run'
            ? {
                onOutput: (line: string) => socket.emit('lab:output', { labId: lab.id, line }),
                onMaps: (maps: LiveMaps) => liveMaps?.offer(maps),
              }
            : {}),
        }),
      (position) => socket.emit('lab:progress', { labId: lab.id, stage: 'queued', position }),
    );
    // The reply carries the final maps: a snapshot still waiting would only be older.
    liveMaps?.stop();
    return outcome.refused === null
      ? ok({ grade: outcome.value, files })
      : fail(GRADE_REFUSALS[outcome.refused]);
  };

  handle(socket, 'lab:open', ({ labId }) =>
    withLab(labId, async (lab) => {
      const [files, progress, missing] = await Promise.all([
        currentFiles(lab),
        progressIn(lab),
        missingOnSandbox(lab),
      ]);
      mirror(lab, files);
      const { manifest } = lab;
      return ok({
        id: lab.id,
        title: manifest.title,
        summary: manifest.summary,
        files,
        hintCount: manifest.hints.length,
        labTimeMs: labTimeMs(manifest),
        solutionAvailable: solutionAllowed(lab, progress),
        requires: manifest.requires,
        missing,
        otherDriver: driverThatRuns(
          sessions.driverName,
          missing.map((m) => m.feature),
        ),
        progress,
      });
    }),
  );

  handle(socket, 'lab:save', ({ labId, files }) =>
    withLab(labId, async (lab) => {
      const refused = refusedPaths(lab, files);
      if (refused) return fail(refused);
      const saved = (await store.loadLabFiles(learnerId, lab.id)) ?? {};
      const editable = { ...editableOnly(lab, saved), ...files };
      await store.saveLabFiles(learnerId, lab.id, editable);
      mirror(lab, await currentFiles(lab));
      // The same files a Check would grade now; a sandbox not there yet has nothing to build in.
      sessions.sandboxFor(learnerId).then(
        (sandbox) => compileAhead.offer(learnerId, { lab, files: editable, sandbox }),
        () => undefined,
      );
      return ok(null);
    }),
  );

  // The reply carries what the attempt changed, so the page need not open the lab again.
  handle(socket, 'lab:check', ({ labId, files }) =>
    withLab(labId, async (lab) => {
      const graded = await grade(lab, files, 'check');
      if (!graded.ok) return graded;
      const { grade: result, files: gradedFiles } = graded.value;
      if (result.gradable) {
        await store.recordAttempt(learnerId, lab.id, {
          files: gradedFiles,
          score: result.score,
          maxScore: result.maxScore,
          passed: result.score === result.maxScore,
          checksPassed: result.checks.filter((c) => c.status === 'passed').map((c) => c.id),
        });
      }
      const progress = await progressIn(lab);
      return ok({ grade: result, progress, solutionAvailable: solutionAllowed(lab, progress) });
    }),
  );

  handle(socket, 'lab:run', ({ labId, files }) =>
    withLab(labId, async (lab) => {
      const graded = await grade(lab, files, 'run');
      return graded.ok ? ok(graded.value.grade) : graded;
    }),
  );

  // Built and loaded in the learner's sandbox in their grading turn; nothing saved or recorded.
  handle(socket, 'lab:program', ({ labId, files }) =>
    withLab(labId, async (lab) => {
      const refused = refusedPaths(lab, files);
      if (refused) return fail(refused);
      const sandbox = await sessions.sandboxFor(learnerId);
      const saved = (await store.loadLabFiles(learnerId, lab.id)) ?? {};
      const outcome = await gradeLock.exclusive(
        learnerId,
        () => programView({ lab, files: { ...editableOnly(lab, saved), ...files }, sandbox }),
        () => undefined,
      );
      return outcome.refused === null ? ok(outcome.value) : fail(GRADE_REFUSALS[outcome.refused]);
    }),
  );

  handle(socket, 'lab:reset', ({ labId }) =>
    withLab(labId, async (lab) => {
      const starter = await catalog.files(lab, 'starter');
      await store.saveLabFiles(
        learnerId,
        lab.id,
        Object.fromEntries(starter.filter((f) => !f.readonly).map((f) => [f.path, f.content])),
      );
      mirror(lab, starter);
      return ok(starter);
    }),
  );

  handle(socket, 'lab:solution', ({ labId }) =>
    withLab(labId, async (lab) => {
      if (!solutionAllowed(lab, await progressIn(lab))) {
        return fail(
          lab.manifest.showSolution === 'never'
            ? 'This lab does not show its solution'
            : 'The solution opens after your first Check',
        );
      }
      const files = await catalog.files(lab, 'solution');
      // Recorded as it is sent: from here on, a first pass counts as one with the solution shown.
      await store.recordSolutionShown(learnerId, lab.id);
      return ok({ files, progress: await progressIn(lab) });
    }),
  );

  handle(socket, 'lab:hint', ({ labId, index }) =>
    withLab(labId, async (lab) => {
      const hint = lab.manifest.hints[index];
      return hint === undefined ? fail(`This lab has ${lab.manifest.hints.length} hints`) : ok(hint);
    }),
  );
}

function solutionAllowed(lab: Lab, progress: LabProgress | null): boolean {
  const policy = lab.manifest.showSolution;
  return policy === 'always' || (policy === 'after-attempt' && (progress?.attempts ?? 0) > 0);
}

/** Why a set of files is refused (a path the lab does not have, or one it does not let the learner edit). */
function refusedPaths(lab: Lab, files: Record<string, string>): string | null {
  for (const name of Object.keys(files)) {
    const file = lab.manifest.files.find((f) => f.path === name);
    if (!file) return `The lab "${lab.id}" has no file "${name}"`;
    if (file.readonly) return `"${name}" is read-only in this lab`;
  }
  return null;
}

function editableOnly(lab: Lab, files: Record<string, string>): Record<string, string> {
  const editable = new Set(lab.manifest.files.filter((f) => !f.readonly).map((f) => f.path));
  return Object.fromEntries(Object.entries(files).filter(([name]) => editable.has(name)));
}
