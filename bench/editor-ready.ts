/**
 * The lab editor as a learner meets it: Chromium opens a lesson on the production server (the
 * build in .next, started as `npm start` starts it), and the page's clock (from navigation start)
 * reads when Monaco has created its editor, when the lab's first file is on screen and when that
 * file is highlighted as C. Cold is a new browser profile (empty HTTP cache); warm reloads the page
 * in the same profile. Also sums the JavaScript and CSS the cold page fetched, workers included.
 *
 *   npx tsx bench/editor-ready.ts [runs]     # default 15 per mode, after 2 warm-up loads
 *
 * Needs a build (`make next`) and what the e2e tests need (Chromium, root for the local driver).
 */
import { availableParallelism } from 'node:os';
import { type Browser, chromium, type Page, type Response } from '@playwright/test';
import { startProductionServer } from '../e2e/fixtures/production-server.js';
import { printTable, type Summary, summarize, writeResult } from './stats.js';

const RUNS = Number(process.argv[2] ?? 15);
const WARMUP = 2;
const LESSON = '/lessons/hello-execve';
const CHROMIUM = process.env.BPFLAB_CHROMIUM ?? '/usr/bin/chromium';
const MARKS = ['editor', 'file', 'highlighted'] as const;
type Mark = (typeof MARKS)[number];

/**
 * Runs in the page before its scripts: every frame, notes the first time the editor exists, shows
 * a line of the file, and colours that file's tokens in more than three colours (C highlighting).
 */
const PROBE = `(() => {
  const marks = (window.__bench = {});
  const frame = () => {
    const now = performance.now();
    if (marks.editor === undefined && document.querySelector('.monaco-editor')) marks.editor = now;
    const line = document.querySelector('.monaco-editor .view-line');
    if (marks.file === undefined && line && line.textContent.trim() !== '') marks.file = now;
    if (marks.file !== undefined && marks.highlighted === undefined) {
      const spans = document.querySelectorAll('.monaco-editor .view-line span span');
      const colours = new Set([...spans].map((s) => getComputedStyle(s).color));
      if (colours.size > 3) marks.highlighted = now;
    }
    if (marks.highlighted === undefined) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();`;

interface Bytes {
  /** As sent over the wire (compressed when the server compresses). */
  transferred: number;
  decoded: number;
  files: number;
}

interface Load {
  marks: Record<Mark, number>;
  js: Bytes;
  css: Bytes;
}

async function load(page: Page, reload: boolean): Promise<Load> {
  const responses: Response[] = [];
  const collect = (response: Response) => responses.push(response);
  page.context().on('response', collect);
  if (reload) await page.reload();
  else await page.goto(LESSON);
  // Functions, not strings: the page's Content-Security-Policy forbids eval.
  type Probed = { __bench?: Partial<Record<Mark, number>> };
  await page.waitForFunction(() => (globalThis as Probed).__bench?.highlighted !== undefined, null, {
    timeout: 60_000,
  });
  const marks = (await page.evaluate(() => (globalThis as Probed).__bench)) as Record<Mark, number>;
  await page.waitForLoadState('networkidle');
  page.context().off('response', collect);
  const sum = async (kind: RegExp): Promise<Bytes> => {
    const bytes: Bytes = { transferred: 0, decoded: 0, files: 0 };
    for (const response of responses) {
      const type = response.headers()['content-type'] ?? '';
      if (!kind.test(type) || response.status() !== 200) continue;
      const sizes = await response.request().sizes();
      bytes.transferred += sizes.responseBodySize;
      bytes.decoded += (await response.body()).length;
      bytes.files += 1;
    }
    return bytes;
  };
  return { marks, js: await sum(/javascript/), css: await sum(/text\/css/) };
}

async function measure(
  browser: Browser,
  baseURL: string,
  warm: boolean,
): Promise<{ marks: Record<Mark, Summary>; last: Load }> {
  const samples = Object.fromEntries(MARKS.map((m) => [m, [] as number[]])) as Record<Mark, number[]>;
  let last: Load | undefined;
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const context = await browser.newContext({ baseURL });
    await context.addInitScript(PROBE);
    const page = await context.newPage();
    let result = await load(page, false);
    if (warm) result = await load(page, true);
    await context.close();
    if (i < WARMUP) continue;
    for (const mark of MARKS) samples[mark].push(result.marks[mark]);
    last = result;
  }
  if (!last) throw new Error('no runs');
  const marks = Object.fromEntries(MARKS.map((m) => [m, summarize(samples[m], { decimals: 0 })]));
  return { marks: marks as Record<Mark, Summary>, last };
}

const kib = (bytes: number) => Math.round(bytes / 1024);

const server = await startProductionServer();
try {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const cold = await measure(browser, server.url, false);
  const warm = await measure(browser, server.url, true);
  await browser.close();

  console.log(
    `lab editor in ${LESSON}, ${RUNS} loads per mode, ${availableParallelism()} CPUs (ms from navigation start)`,
  );
  printTable(
    ['mode', 'mark', 'p50', 'p90', 'max'],
    [cold, warm].flatMap((mode, i) =>
      MARKS.map((mark) => [
        i === 0 ? 'cold' : 'warm',
        mark,
        mode.marks[mark].p50,
        mode.marks[mark].p90,
        mode.marks[mark].max,
      ]),
    ),
  );
  const { js, css } = cold.last;
  console.log('\nbytes the cold page fetched (KiB)');
  printTable(
    ['kind', 'files', 'transferred', 'decoded'],
    [
      ['js', js.files, kib(js.transferred), kib(js.decoded)],
      ['css', css.files, kib(css.transferred), kib(css.decoded)],
    ],
  );
  await writeResult('editor-ready', {
    lesson: LESSON,
    runs: RUNS,
    cold: cold.marks,
    warm: warm.marks,
    js,
    css,
  });
} finally {
  await server.stop();
}
