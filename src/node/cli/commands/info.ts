/**
 * `boltzmann info <model>`: a model file's kind (with its registry title),
 * document version, tensor shapes, configuration and training state.
 * @module
 */
import { resolve } from 'node:path';
import type { JsonObject } from '../../../document.js';
import { FormatError } from '../../../errors.js';
import type { ModelRegistry } from '../../../io/registry.js';
import { modelArg, parseFlags } from '../args.js';
import type { CliContext } from '../context.js';
import { isSafetensorsPath, readDocument } from '../files.js';
import { commandHelp } from '../help.js';
import { cliState } from './train-loop.js';

/** The deepest nesting `info` prints; model documents nest a handful of levels. */
const INFO_MAX_DEPTH = 100;

/** Nesting depth of a parsed JSON value, measured with an explicit stack (no recursion). */
function jsonDepth(root: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > INFO_MAX_DEPTH) return max;
    for (const c of Array.isArray(v) ? v : Object.values(v as object)) if (c !== null && typeof c === 'object') stack.push([c, d + 1]);
  }
  return max;
}

/**
 * Runs `info`.
 *
 * @param args - the arguments after `info`
 * @param ctx - streams, signal, environment
 * @param registry - the model kinds
 * @returns the exit code
 * @category Data & files
 */
export async function info(args: string[], ctx: CliContext, registry: ModelRegistry): Promise<number> {
  const { values: v, positionals } = parseFlags('info', args, { json: { type: 'boolean' } });
  if (v.help) {
    ctx.stdout.write(`${commandHelp(registry, 'info')}\n`);
    return 0;
  }
  const path = modelArg('info', positionals);
  const doc = readDocument(path);
  // printing uses JSON.stringify, which recurses: refuse absurd nesting first (measured without recursion)
  const depth = jsonDepth(doc);
  if (depth > INFO_MAX_DEPTH) {
    throw new FormatError(`info: ${path} is nested ${depth} levels deep, more than a model document's ${INFO_MAX_DEPTH}`);
  }
  const tensors: Record<string, number[]> = {};
  for (const [name, t] of Object.entries(doc.tensors ?? {})) tensors[name] = Array.isArray(t?.shape) ? t.shape : [];
  const state = (doc.state ?? {}) as JsonObject;
  const training = state.training as JsonObject | undefined;
  const cli = cliState(doc);
  const kind = typeof doc.kind === 'string' ? registry.get(doc.kind) : undefined;
  const trainedBy = typeof cli?.kind === 'string' ? registry.get(cli.kind) : undefined;
  const summary = {
    file: resolve(path),
    kind: doc.kind,
    title: kind?.title ?? null,
    version: doc.version,
    config: doc.config,
    tensors,
    parameters: Object.values(tensors).reduce((s, sh) => s + sh.reduce((a, b) => a * b, 1), 0),
    training: training ? { epoch: training.epoch ?? null, steps: training.steps ?? null, options: training.options ?? null } : null,
    // a safetensors file keeps the parameters only: resume from the JSON model or checkpoint
    resumable: cli?.command === 'train' && trainedBy?.trainer !== undefined && !isSafetensorsPath(path),
    data: cli?.spec ?? null,
  };
  if (v.json === true) {
    ctx.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `file:       ${summary.file}`,
    `kind:       ${String(summary.kind)}${summary.title ? ` — ${summary.title}` : ''} (document version ${summary.version})`,
    `config:     ${JSON.stringify(summary.config)}`,
    'tensors:',
    ...Object.entries(tensors).map(([k, s]) => `  ${k.padEnd(14)} [${s.join(', ')}]`),
    `parameters: ${summary.parameters}`,
  ];
  if (summary.training) {
    lines.push(`training:   epoch ${String(summary.training.epoch)}, ${String(summary.training.steps)} steps, options ${JSON.stringify(summary.training.options)}`);
  }
  if (summary.data) lines.push(`data:       ${JSON.stringify(summary.data)}`);
  if (summary.resumable) lines.push(`resume:     boltzmann train --resume ${path} --epochs <total>`);
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
