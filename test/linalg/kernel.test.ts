import { describe } from 'vitest';
import { tsKernel } from '../../src/linalg/ts-kernel.js';
import { kernelProperties } from '../helpers/kernel-properties.js';

describe('plain TypeScript kernel', () => {
  kernelProperties(tsKernel);
});
