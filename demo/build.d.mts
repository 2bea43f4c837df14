/** Bundles the demo into `outDir` (default demo/dist) and returns the folder. */
export function buildDemo(outDir?: string): Promise<string>;
