/**
 * Builds the browser demo into demo/dist/ with esbuild (one IIFE script, so the
 * page also works when opened from the file system), and serves it with `--serve`.
 *
 *   npm run demo:build      # → demo/dist/{index.html, lecture.html, style.css, main.js, lecture.js}
 *   npm run demo            # build, then serve on http://127.0.0.1:8080/ (PORT to change: PORT=8081 npm run demo)
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Bundles demo/main.ts and demo/lecture.ts (platform browser: a node:* import fails the build) and
 * copies the page into `outDir`.
 * @param {string} [outDir]
 * @returns {Promise<string>} the output folder
 */
export async function buildDemo(outDir = join(here, 'dist')) {
  mkdirSync(outDir, { recursive: true });
  // The RBM's training worker, bundled first and put into main.js as a string
  // (a Blob worker), so the page stays one script and works from the file system.
  const worker = await build({
    entryPoints: [join(here, 'rbm-worker.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'warning',
  });
  const workerSource = worker.outputFiles[0]?.text ?? '';
  await build({
    define: { __RBM_WORKER__: JSON.stringify(workerSource) },
    entryPoints: [join(here, 'main.ts'), join(here, 'lecture.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    outdir: outDir,
    logLevel: 'warning',
  });
  for (const f of ['index.html', 'lecture.html', 'style.css']) copyFileSync(join(here, f), join(outDir, f));
  return outDir;
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css', '.map': 'application/json' };

/**
 * Serves the files of `dir` on 127.0.0.1:`port` (0: any free port). A request
 * whose path is not valid percent-encoding is answered 400 (decodeURIComponent
 * throws a URIError, which must not take the server down); a missing file 404.
 * @param {string} dir
 * @param {number} port
 * @returns {Promise<import('node:http').Server>} once listening; rejects with the listen error (EADDRINUSE, …)
 */
export function serveDemo(dir, port) {
  const server = createServer((req, res) => {
    let path;
    try {
      path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/')).replace(/^(\.\.[/\\])+/, '');
    } catch {
      res.writeHead(400).end('bad request: malformed URL encoding');
      return;
    }
    const file = join(dir, path === '/' ? 'index.html' : path);
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const serve = process.argv.includes('--serve');
  const port = Number(process.env.PORT ?? 8080);
  if (serve && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    console.error(`demo: PORT must be a port number 0–65535 (got ${JSON.stringify(process.env.PORT)}); e.g. PORT=8081 npm run demo`);
    process.exit(1);
  }
  const dir = await buildDemo();
  console.log(`built ${dir}`);
  if (serve) {
    try {
      const server = await serveDemo(dir, port);
      console.log(`demo on http://127.0.0.1:${server.address().port}/ (Ctrl-C to stop)`);
    } catch (e) {
      const code = /** @type {NodeJS.ErrnoException} */ (e).code;
      if (code === 'EADDRINUSE') console.error(`demo: port ${port} on 127.0.0.1 is already in use; choose another with PORT, e.g. PORT=${port === 8080 ? 8081 : 8080} npm run demo`);
      else if (code === 'EACCES') console.error(`demo: no permission to listen on port ${port}; choose another with PORT, e.g. PORT=8081 npm run demo`);
      else console.error(`demo: cannot serve on 127.0.0.1:${port}: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    }
  }
}
