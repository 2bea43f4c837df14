/**
 * Code blocks of the documentation as runnable modules: `boltzmann`, `boltzmann/base` and
 * `boltzmann/node` pointed at the sources, for a module written three folders below the
 * repository root (test/docs/.<scratch>/). Shared by the guides' and the API examples' tests.
 */

/** The block with the package names pointed at the sources, as a module. */
export function pointAtSources(code: string): string {
  return `${code
    .replace(/from\s+'boltzmann\/node'/g, "from '../../../src/node/index.js'")
    .replace(/from\s+'boltzmann\/base'/g, "from '../../../src/base.js'")
    .replace(/from\s+'boltzmann'/g, "from '../../../src/index.js'")}\nexport {};\n`;
}
