/**
 * What a learner feels, measured in Chromium (Debian's, as the e2e tests use it) against a
 * production server: a lesson page opened at its lab (`/lessons/<slug>#lab-<id>`, a new browser
 * profile each time, so nothing is cached) until the lab's terminal shows the shell's prompt and
 * until the editor shows the lab's file; the JavaScript a lesson page fetches before its lab is
 * scrolled into view, and the home page's; and Check click → verdict on screen, for hello-execve
 * and udp-flow-counter, the code edited before each Check as a learner would. Times come from the
 * page's own clock (performance.now), noted every frame and on every DOM change by a probe
 * script, so Playwright's polling adds nothing to them.
 */
import { type Browser, chromium, type Page } from '@playwright/test';
import { connected, connectSocket } from '../../server/testing/harness.js';
import { requestWithin } from '../../server/testing/socket-client.js';
import { type Bench, distribution, type Plan, repeat, single } from '../measure.js';
import type { FigureDef } from '../report.js';
import {
  CHECK_SPACING_MS,
  type MeasuredServer,
  pacer,
  solutionFiles,
  startMeasuredServer,
} from '../server.js';

const CHROMIUM = process.env.BPFLAB_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const VIEWPORT = { width: 1280, height: 720 };
const LESSON = { slug: 'hello-execve', lab: 'hello-execve' };
const CHECKED = [
  { slug: 'hello-execve', lab: 'hello-execve', targetMs: 500 },
  { slug: 'udp-game-server', lab: 'udp-flow-counter', targetMs: 700 },
];
/** Lets the previous learner's sandbox claim be refilled in the pool before the next page. */
const BETWEEN_PAGES_MS = 1500;
/** Loads for the byte counts: they do not vary between loads, so a few say enough. */
const BYTE_LOADS = 3;
const WAIT_MS = 60_000;

const FIGURES = {
  prompt: {
    id: 'browser.terminal-prompt',
    title: 'lesson page → terminal prompt',
    unit: 'ms',
    target: { stat: 'p95', atMost: 1000 },
    obstacle:
      'the page fetches and runs its JavaScript before the lab opens its socket, and the sandbox and shell start only when the lab asks',
  },
  editor: {
    id: 'browser.editor-ready',
    title: 'lesson page → editor ready (the lab’s file shown, highlighted as C)',
    unit: 'ms',
    target: { stat: 'p95', atMost: 1200 },
    obstacle: 'Monaco’s JavaScript (megabytes) is fetched, parsed and run before the editor shows the file',
  },
  lessonJs: {
    id: 'browser.lesson-js',
    title: 'JavaScript on a lesson page before its lab scrolls into view (decoded)',
    unit: 'KiB',
    target: { stat: 'value', atMost: 1024 },
    obstacle:
      'Monaco, xterm.js and the lab code load with the lesson instead of when a lab nears the viewport',
  },
  lessonRequests: {
    id: 'browser.lesson-js-requests',
    title: 'JavaScript requests on a lesson page before its lab scrolls into view',
    unit: 'requests',
  },
  homeJs: { id: 'browser.home-js', title: 'JavaScript on the home page (decoded)', unit: 'KiB' },
  homeRequests: {
    id: 'browser.home-js-requests',
    title: 'JavaScript requests on the home page',
    unit: 'requests',
  },
  check: Object.fromEntries(
    CHECKED.map((c) => [
      c.lab,
      {
        id: `browser.check-${c.lab}`,
        title: `Check click → verdict on screen, ${c.lab}`,
        unit: 'ms',
        target: { stat: 'p95', atMost: c.targetMs },
        obstacle:
          'the grade itself (compile, load, workload; see check.stage.*) and the time outside it: queueing, spawning, the reply and rendering it',
      },
    ]),
  ) as Record<string, FigureDef>,
  /** The browser's own share of hello-execve's Check, on either side of the server's round trip. */
  beforeSend: {
    id: 'browser.check-hello-execve.before-send',
    title: 'Check click → lab:check frame sent, hello-execve',
    unit: 'ms',
  },
  afterReply: {
    id: 'browser.check-hello-execve.after-reply',
    title: 'Check reply received → verdict in the DOM, hello-execve',
    unit: 'ms',
  },
} satisfies Record<string, FigureDef | Record<string, FigureDef>>;

/**
 * Runs in the page before its scripts. Every frame until both are seen, notes when the first lab's
 * file is on screen highlighted as C in Monaco (more than three colours: `editor`) and when a
 * line of its terminal ends in the shell's prompt (`prompt`). A click on a lab's Check notes
 * `click` and forgets the last `verdict`; the lab:check frame and its reply on the WebSocket note
 * `sent` and `replied`; the results section (data-passed) appearing after it notes `verdict` and
 * whether it passed.
 */
export const PROBE = `(() => {
  const marks = (window.__bench = {});
  const lab = () => document.querySelector('section[id^="lab-"]');
  const frame = () => {
    const now = performance.now();
    const root = lab();
    if (root && marks.editor === undefined) {
      const spans = root.querySelectorAll('.monaco-editor .view-line span span');
      const colours = new Set([...spans].map((s) => getComputedStyle(s).color));
      if (colours.size > 3) marks.editor = now;
    }
    if (root && marks.prompt === undefined) {
      for (const row of root.querySelectorAll('.xterm-rows > div'))
        if (/[#$] *$/.test(row.textContent)) marks.prompt = now;
    }
    if (marks.editor === undefined || marks.prompt === undefined) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button') : null;
    if (!button || button.textContent.trim() !== 'Check' || !button.closest('section[id^="lab-"]')) return;
    marks.click = performance.now();
    marks.verdict = marks.sent = marks.replied = undefined;
  }, true);
  // The lab:check frame leaving (socket.io: 42<ack id>["lab:check",…]) and the first ack frame
  // (43<ack id>[…]) after it: what lies between is the server's round trip.
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (!this.__benchHeard) {
      this.__benchHeard = true;
      this.addEventListener('message', (event) => {
        if (marks.sent !== undefined && marks.replied === undefined && /^43\\d/.test(String(event.data)))
          marks.replied = performance.now();
      });
    }
    if (marks.click !== undefined && marks.sent === undefined && /^42\\d*\\["lab:check"/.test(String(data)))
      marks.sent = performance.now();
    return send.call(this, data);
  };
  new MutationObserver(() => {
    if (marks.click === undefined || marks.verdict !== undefined) return;
    const results = document.querySelector('section[id^="lab-"] section[data-passed]');
    if (!results) return;
    marks.verdict = performance.now();
    marks.passed = results.getAttribute('data-passed') === 'true';
  }).observe(document, { subtree: true, childList: true });
})();`;

interface Marks {
  editor?: number;
  prompt?: number;
  click?: number;
  /** When the lab:check frame left, and when its reply came. */
  sent?: number;
  replied?: number;
  verdict?: number;
  passed?: boolean;
}
type Probed = { __bench?: Marks };

const marks = (page: Page) => page.evaluate(() => (globalThis as Probed).__bench ?? {});
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function newPage(browser: Browser, site: MeasuredServer): Promise<Page> {
  const context = await browser.newContext({ baseURL: site.server.url, viewport: VIEWPORT });
  await context.addInitScript(PROBE);
  return context.newPage();
}

/** Waits until the probe noted every one of `names`; on timeout says which it did not, and what the lab showed. */
async function waitForMarks(page: Page, names: (keyof Marks)[]): Promise<void> {
  try {
    // Functions, not strings: the page's Content-Security-Policy forbids eval.
    await page.waitForFunction(
      (wanted) => wanted.every((name) => (globalThis as Probed).__bench?.[name as keyof Marks] !== undefined),
      names,
      { timeout: WAIT_MS },
    );
  } catch (error) {
    const seen = await marks(page);
    const missing = names.filter((name) => seen[name] === undefined);
    const shown = await page
      .locator('section[id^="lab-"]')
      .first()
      .textContent()
      .catch(() => '(no lab)');
    throw new Error(
      `${page.url()}: no ${missing.join(', ')} within ${WAIT_MS / 1000} s; the lab showed: ${(shown ?? '').slice(0, 600)}`,
      { cause: error },
    );
  }
}

/** A lesson opened at its lab in a new profile: when its editor and its terminal were ready. */
async function openAtLab(plan: Plan, browser: Browser, site: MeasuredServer) {
  return repeat(plan.runs, plan.warmup, async () => {
    const page = await newPage(browser, site);
    await page.goto(`/lessons/${LESSON.slug}#lab-${LESSON.lab}`);
    await waitForMarks(page, ['editor', 'prompt']);
    const { editor, prompt } = await marks(page);
    await page.context().close();
    await pause(BETWEEN_PAGES_MS);
    return { editor: editor!, prompt: prompt! };
  });
}

/** JavaScript a page fetched (decoded bytes and responses) once the network was idle, unscrolled. */
async function javascript(browser: Browser, site: MeasuredServer, url: string) {
  const loads = await repeat(BYTE_LOADS, 0, async () => {
    const page = await newPage(browser, site);
    const scripts: Promise<number>[] = [];
    page.context().on('response', (response) => {
      const type = response.headers()['content-type'] ?? '';
      if (/javascript/.test(type) && response.status() === 200)
        scripts.push(response.body().then((body) => body.length));
    });
    await page.goto(url);
    await page.waitForLoadState('networkidle');
    await pause(1000);
    const sizes = await Promise.all(scripts);
    await page.context().close();
    return { bytes: sizes.reduce((a, b) => a + b, 0), requests: sizes.length };
  });
  return {
    kib: Math.max(...loads.map((l) => l.bytes)) / 1024,
    requests: Math.max(...loads.map((l) => l.requests)),
    runs: loads.length,
  };
}

/** Check click → verdict for one lab, its solution saved for the learner first and edited each time. */
async function checks(plan: Plan, browser: Browser, site: MeasuredServer, labId: string, slug: string) {
  const page = await newPage(browser, site);
  try {
    await page.goto('/');
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const socket = await connected(connectSocket(site.server.url, { cookie, origin: site.server.url }));
    const files = await solutionFiles(labId);
    const saved = await requestWithin(socket, 30_000, 'lab:save', { labId, files });
    socket.disconnect();
    if (!saved.ok) throw new Error(`lab:save ${labId}: ${saved.error}`);
    await page.goto(`/lessons/${slug}#lab-${labId}`);
    await waitForMarks(page, ['editor']);
    const lab = page.locator(`section#lab-${labId}`);
    const pace = pacer(CHECK_SPACING_MS);
    return await repeat(plan.runs, plan.warmup, async (i) => {
      await lab.locator('.monaco-editor .view-lines').click();
      await page.keyboard.press('Control+End');
      await page.keyboard.type(`\n// bench ${i}`);
      await lab.getByRole('status').filter({ hasText: 'All changes saved' }).waitFor({ timeout: WAIT_MS });
      await pace(page);
      await lab.getByRole('button', { name: 'Check', exact: true }).click();
      await waitForMarks(page, ['verdict']);
      const { click, sent, replied, verdict, passed } = await marks(page);
      if (!passed) throw new Error(`Check ${i} of ${labId} in the browser did not pass`);
      if (sent === undefined || replied === undefined)
        throw new Error(`Check ${i} of ${labId}: the probe saw no lab:check frame or no reply`);
      return { total: verdict! - click!, beforeSend: sent - click!, afterReply: verdict! - replied };
    });
  } finally {
    await page.context().close();
  }
}

export const browserBench: Bench = {
  name: 'browser',
  figures: [
    FIGURES.prompt,
    FIGURES.editor,
    FIGURES.lessonJs,
    FIGURES.lessonRequests,
    FIGURES.homeJs,
    FIGURES.homeRequests,
    FIGURES.check['hello-execve']!,
    FIGURES.beforeSend,
    FIGURES.afterReply,
    FIGURES.check['udp-flow-counter']!,
  ],
  async run(plan, record) {
    const site = await startMeasuredServer();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const lesson = await javascript(browser, site, `/lessons/${LESSON.slug}`);
      record(single(FIGURES.lessonJs, lesson.kib, lesson.runs));
      record(single(FIGURES.lessonRequests, lesson.requests, lesson.runs));
      const home = await javascript(browser, site, '/');
      record(single(FIGURES.homeJs, home.kib, home.runs));
      record(single(FIGURES.homeRequests, home.requests, home.runs));

      const opened = await openAtLab(plan, browser, site);
      record(
        distribution(
          FIGURES.prompt,
          opened.map((o) => o.prompt),
        ),
      );
      record(
        distribution(
          FIGURES.editor,
          opened.map((o) => o.editor),
        ),
      );

      for (const { lab, slug } of CHECKED) {
        const runs = await checks(plan, browser, site, lab, slug);
        record(
          distribution(
            FIGURES.check[lab]!,
            runs.map((r) => r.total),
          ),
        );
        if (lab !== 'hello-execve') continue;
        record(
          distribution(
            FIGURES.beforeSend,
            runs.map((r) => r.beforeSend),
            1,
          ),
        );
        record(
          distribution(
            FIGURES.afterReply,
            runs.map((r) => r.afterReply),
            1,
          ),
        );
      }
    } finally {
      await browser.close();
      await site.stop();
    }
  },
};
