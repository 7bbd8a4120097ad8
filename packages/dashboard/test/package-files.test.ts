import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const packageDir = resolve(__dirname, '..');

/** Serves `/` and `/app.js` from the built package loaded the given way, with the smallest host that fits. */
const probe = (load: string) => `
const { createDashboard } = ${load};
const host = {
  status: () => ({ nodeId: 'n', backend: 'memory', startedAt: 0, scheduler: { state: 'running', schedules: [] }, plugins: [], locks: [], snapshots: [], warnings: [] }),
  runs: { recent: () => [] },
  scheduler: { on: () => () => {}, trigger: async () => 'success', pause() {}, resume() {} },
};
const dashboard = createDashboard({ host });
const get = (path) => dashboard.fetch(new Request('http://127.0.0.1' + path, { headers: { host: '127.0.0.1' } }));
Promise.all(['/', '/app.js', '/charts.js', '/style.css'].map(async (path) => { const r = await get(path); return path + ' ' + r.status + ' ' + (await r.text()).length; }))
  .then((lines) => { console.log(lines.join('\\n')); dashboard.close(); });
`;

describe('the published package', () => {
  it.each([
    ['ESM (dist/index.js)', `await import(${JSON.stringify(resolve(packageDir, 'dist/index.js'))})`, ['--input-type=module']],
    ['CommonJS (dist/index.cjs)', `require(${JSON.stringify(resolve(packageDir, 'dist/index.cjs'))})`, ['--input-type=commonjs']],
  ])('serves the page files from %s, found beside dist', (_label, load, flags) => {
    const source = flags[0] === '--input-type=module' ? probe(load) : `(async () => {${probe(load)}})()`;
    const output = execFileSync(process.execPath, [...flags, '-e', source], { cwd: '/', encoding: 'utf8' });
    for (const line of output.trim().split('\n')) expect(line).toMatch(/^\/\S* 200 [1-9]\d+$/);
    expect(output.trim().split('\n')).toHaveLength(4);
  });

  it('ships the page files and both builds', () => {
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: packageDir, encoding: 'utf8' })) as [{ files: { path: string }[] }];
    const files = pack.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['public/index.html', 'public/app.js', 'public/charts.js', 'public/style.css', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'README.md']));
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  });
});
