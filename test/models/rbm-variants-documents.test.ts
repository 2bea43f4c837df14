import { describe, expect, it } from 'vitest';
import { FormatError, fromArrays, LabelledRBM, loadModel, RBM, ScaledRBM } from '../../src/index.js';

// ScaledRBM (DBM pretraining blocks) and LabelledRBM (a labelled DBN's top layer) are RBMs with
// other conditionals: a copy or a document must keep what makes them so, and a plain RBM loader
// must not take their documents for its own.
const v = fromArrays([
  [1, 0, 1],
  [0, 1, 1],
]);

describe('ScaledRBM and LabelledRBM keep their kind through clone and documents', () => {
  it('ScaledRBM: clone and ScaledRBM.fromDocument keep the factors and the conditionals, bit for bit', () => {
    const a = new ScaledRBM(3, 2, { upScale: 2, downScale: 0.5, rng: 1, weightStd: 1 });
    for (const b of [a.clone(), ScaledRBM.fromDocument(JSON.parse(JSON.stringify(a.toDocument())))]) {
      expect(b).toBeInstanceOf(ScaledRBM);
      expect([b.upScale, b.downScale]).toEqual([2, 0.5]);
      expect(Array.from(b.hiddenProbs(v).data)).toEqual(Array.from(a.hiddenProbs(v).data));
      expect(Array.from(b.visibleProbs(fromArrays([[1, 0]])).data)).toEqual(Array.from(a.visibleProbs(fromArrays([[1, 0]])).data));
    }
    // the scaled conditionals differ from the plain RBM's with the same parameters
    const plain = RBM.fromDocument({ ...a.toDocument(), config: { nVisible: 3, nHidden: 2 } });
    expect(Array.from(plain.hiddenProbs(v).data)).not.toEqual(Array.from(a.hiddenProbs(v).data));
    // the plain loaders refuse the document instead of dropping the factors
    expect(() => RBM.fromDocument(a.toDocument())).toThrow(FormatError);
    expect(() => RBM.fromDocument(a.toDocument())).toThrow(/ScaledRBM\.fromDocument/);
    expect(() => loadModel(a.toDocument())).toThrow(FormatError);
    expect(() => ScaledRBM.fromDocument({ ...a.toDocument(), config: { nVisible: 3, nHidden: 2, upScale: -1 } })).toThrow(FormatError);
    // a plain RBM's document is a ScaledRBM with factors 1
    expect(ScaledRBM.fromDocument(new RBM(3, 2).toDocument()).upScale).toBe(1);
  });

  it('LabelledRBM: clone and LabelledRBM.fromDocument keep the label group (softmax draws), bit for bit', () => {
    const a = new LabelledRBM(3, 2, 4, { rng: 1, weightStd: 1 });
    for (const b of [a.clone(), LabelledRBM.fromDocument(JSON.parse(JSON.stringify(a.toDocument())))]) {
      expect(b).toBeInstanceOf(LabelledRBM);
      expect([b.nFeatures, b.nLabels, b.nHidden]).toEqual([3, 2, 4]);
      const h = fromArrays([[1, 0, 1, 1]]);
      expect(Array.from(b.sampleVisible(h, 7).data)).toEqual(Array.from(a.sampleVisible(h, 7).data));
    }
    expect(() => RBM.fromDocument(a.toDocument())).toThrow(/LabelledRBM\.fromDocument/);
    expect(() => LabelledRBM.fromDocument(new RBM(5, 4).toDocument())).toThrow(FormatError);
    expect(() => LabelledRBM.fromDocument({ ...a.toDocument(), config: { nVisible: 5, nHidden: 4, nLabels: 5 } })).toThrow(FormatError);
  });
});
