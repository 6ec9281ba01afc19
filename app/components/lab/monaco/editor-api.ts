/**
 * The parts of Monaco the lab editor uses, from monaco-editor's ESM build, bundled by Next into
 * this origin's chunks: the editor API, the languages of lab files (C, shell, Python, YAML), the
 * editing features a learner reaches for and the diff editor that shows a lab's solution. The
 * full `monaco-editor` entry would also bring some eighty languages, the TypeScript, CSS, HTML
 * and JSON services and their workers.
 *
 * Browser only: load-monaco.ts imports this module on demand, never during server rendering.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/languages/definitions/cpp/register';
import 'monaco-editor/languages/definitions/python/register';
import 'monaco-editor/languages/definitions/shell/register';
import 'monaco-editor/languages/definitions/yaml/register';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/codeEditor/register';
// Diagnostics as markers: their hover, and F8 to go from one to the next.
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/gotoError/register';
// The message shown when typing into a file the lab keeps read-only.
import 'monaco-editor/features/readOnlyMessage/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';
// Word completion (computed in the editor worker), and invisible or look-alike characters in
// pasted code flagged (also in the worker).
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/unicodeHighlighter/register';
// The solution shown as a diff against the learner's code (SolutionDiff.tsx), with F7 and
// Shift+F7 to step through its changes in the accessible diff viewer.
import 'monaco-editor/features/diffEditor/register';

// The one worker these features use, a chunk of this origin like the rest of the bundle.
self.MonacoEnvironment = {
  getWorker: () =>
    new Worker(new URL('monaco-editor/editor/editor.worker', import.meta.url), { name: 'editor.worker' }),
};

export { monaco };
