/**
 * The demo's dev server (demo/build.mjs, `npm run demo`): a malformed URL is
 * answered 400 and the server keeps serving (a URIError from decodeURIComponent
 * used to escape the handler and kill the process), and a port already in use
 * ends the command with one line naming the port and how to choose another —
 * not a raw EADDRINUSE stack trace — and a non-zero exit status.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDemo } from '../demo/build.mjs';

const buildScript = fileURLToPath(new URL('../demo/build.mjs', import.meta.url));

/** A GET of the raw path (sent as is, not re-encoded): status and body. */
function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('demo server (demo/build.mjs)', () => {
  let dir: string;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'boltzmann-demo-server-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>demo</title>');
    server = await serveDemo(dir, 0);
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers a malformed percent-encoding 400 and keeps serving', async () => {
    expect(await get(port, '/')).toEqual({ status: 200, body: '<!doctype html><title>demo</title>' });
    for (const bad of ['/%E0%A4%A', '/%', '/%zz/index.html']) expect((await get(port, bad)).status).toBe(400);
    expect(server.listening).toBe(true);
    expect((await get(port, '/index.html')).status).toBe(200);
    expect((await get(port, '/missing.js')).status).toBe(404);
  });

  it('a port in use: one line naming the port and PORT, exit status 1', () => {
    const r = spawnSync(process.execPath, [buildScript, '--serve'], { env: { ...process.env, PORT: String(port) }, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    const err = r.stderr.trim();
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toContain(`port ${port}`);
    expect(err).toMatch(/already in use.*PORT=\d+ npm run demo/);
    expect(err).not.toMatch(/EADDRINUSE|\n\s+at /);
  });

  it('a PORT that is not a port number: one line, exit status 1, before building', () => {
    const r = spawnSync(process.execPath, [buildScript, '--serve'], { env: { ...process.env, PORT: 'eighty' }, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).not.toMatch(/built/);
    expect(r.stderr.trim()).toMatch(/^demo: PORT must be a port number 0–65535 \(got "eighty"\)/);
  });
});
