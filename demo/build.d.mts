/** Bundles the demo into `outDir` (default demo/dist) and returns the folder. */
export function buildDemo(outDir?: string): Promise<string>;
/** Serves the files of `dir` on 127.0.0.1:`port` (0: any free port); malformed URLs get 400. Rejects with the listen error. */
export function serveDemo(dir: string, port: number): Promise<import('node:http').Server>;
