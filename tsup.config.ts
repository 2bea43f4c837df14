import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    // boltzmann/base: unchecked kernels, *Unchecked helpers and checkers for power users
    base: 'src/base.ts',
    node: 'src/node/index.ts',
    // the `boltzmann` executable (package.json "bin")
    cli: 'src/node/cli-bin.ts',
  },
  format: ['esm', 'cjs'],
  // node:* types for the boltzmann/node entry (the core itself is checked without them by tsconfig.json)
  dts: { compilerOptions: { types: ['node'] } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  // shared chunks, so boltzmann and boltzmann/node use the SAME error classes and Random (instanceof works across them)
  splitting: true,
  treeshake: true,
  // keep class and function names (esbuild would rename RBM to _RBM where it hoists a class), so
  // RBM.name === 'RBM' in dist and error messages name the real class
  keepNames: true,
});
