import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { loadLab, repoLabPaths } from '../server/labs/loader.js';
import { REPO_ROOT, startTestDriver } from '../server/sandbox/local/itest-support.js';
import { Grader } from '../server/grader/grader.js';
import { CompileCache } from '../server/grader/compile-cache.js';
import { hostToolsDir } from '../server/sandbox/tools-tree.js';

await (async () => {
  const env = await startTestDriver();
  const sandbox = await env.driver.create({ sessionId: 'prof' });
  const grader = new Grader({ compileCache: new CompileCache('/tmp/prof-cache'), hostToolsDir: hostToolsDir(REPO_ROOT) });
  const loaded = await loadLab(process.env.LAB ?? 'hello-execve', repoLabPaths(REPO_ROOT));
  if (!loaded.ok) throw new Error('lab');
  const lab = loaded.lab;
  const file = lab.manifest.files[0]!.path;
  const solution = await readFile(path.join(REPO_ROOT, 'labs', lab.id, 'solution', file), 'utf8');
  let t0 = performance.now();
  const log: string[] = [];
  const exec = sandbox.exec.bind(sandbox);
  (sandbox as any).exec = async (argv: string[], opts: any) => { const s = performance.now(); const r = await exec(argv, opts); log.push(`${Math.round(s - t0)}+${Math.round(performance.now() - s)} exec ${argv.join(' ').slice(0, 80)}`); return r; };
  const sp = (sandbox as any).spawn.bind(sandbox);
  (sandbox as any).spawn = (argv: string[], o: any) => { log.push(`${Math.round(performance.now() - t0)} spawn ${argv.join(' ').slice(0, 70)}`); const p = sp(argv, o); p.exited?.then?.(() => log.push(`${Math.round(performance.now() - t0)} spawned exited`)); return p; };
  for (const m of ['writeFiles', 'readFile', 'writeFile']) {
    const f = (sandbox as any)[m]?.bind(sandbox);
    if (f) (sandbox as any)[m] = async (...a: any[]) => { const s = performance.now(); const r = await f(...a); log.push(`${Math.round(s - t0)}+${Math.round(performance.now() - s)} ${m} ${String(Array.isArray(a[0]) ? a[0].join(' ') : typeof a[0] === 'string' ? a[0] : '').slice(0, 60)}`); return r; };
  }
  for (let i = 0; i < 4; i++) {
    log.length = 0; t0 = performance.now();
    const c0 = process.cpuUsage();
    const g = await grader.grade({ lab, files: { [file]: `${solution}\n// ${i % 2 ? 'same' : Date.now()}\n` }, sandbox });
    const c = process.cpuUsage(c0);
    console.log(`grade ${i}: score ${g.score}/${g.maxScore} timings ${JSON.stringify(g.timings)} server cpu ${Math.round((c.user + c.system) / 1000)} ms`);
    if (i === 3) console.log(log.join('\n'));
  }
  await grader.close();
  await env.close();
})();
