/** A CLI output stream for tests: everything written, as one string. */
import type { CliStream } from '../../src/node/cli/index.js';

export class Capture implements CliStream {
  text = '';
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}
