/**
 * `boltzmann` — energy-based models for TypeScript: the front door.
 *
 * Every model answers one contract — `fit`, `partialFit`, `sample`,
 * `scoreSamples`/`score`, `transform` where it has hidden features,
 * `toDocument` / `fromDocument` / `clone` — and one registry
 * ({@link MODEL_REGISTRY}) loads any saved model ({@link loadModel}).
 * Exports are named and grouped by layer, lowest first. Unchecked kernels,
 * `*Unchecked` inner loops and the argument checkers live in `boltzmann/base`.
 *
 * Conventions: spins are ±1 (Hopfield, Ising), binary units are 0/1 (Boltzmann
 * machines, RBMs); matrices are row-major `Float64Array`s; every random choice
 * flows from an explicit seeded {@link Random}.
 * @packageDocumentation
 */
// ── Errors and argument conventions ─────────────────────────────────────────────
export {
  describeValue,
  FormatError,
  NotFittedError,
  NumericalError,
  ShapeError,
} from './errors.js';
export type {
  BaseFitOptions,
  BaseSampleOptions,
  EpochMetrics,
  FitResult,
  Model,
  ScoreMethod,
  ScoreOptions,
  ScoreResult,
  Trainer,
} from './models/contract.js';
export type { DataInput, NumericArray, ShapedArray } from './validate.js';
export { LIMITS } from './validate.js';

// ── Linear algebra ──────────────────────────────────────────────────────────────
export {
  argmaxRows,
  clone,
  copy,
  fromArrays,
  identity,
  matrix,
  type Matrix,
  row,
  rowsView,
  toArrays,
  transpose,
  zeros,
} from './linalg/matrix.js';
export {
  axpy,
  dot,
  gemm,
  type GemmOptions,
  gemv,
  type GemvOptions,
  ger,
  scal,
} from './linalg/blas.js';
export {
  getKernel,
  type Kernel,
  ready,
  setKernel,
  withThreads,
} from './linalg/kernel.js';
export {
  logAddExp,
  logMeanExp,
  logSigmoid,
  logSumExp,
  sigmoid,
  softplus,
  softplusSum,
} from './linalg/stable.js';
export {
  hasZeroDiagonal,
  isSymmetric,
  symmetrize,
  zeroDiagonal,
} from './linalg/symmetric.js';
export {
  cos,
  cosh,
  exp,
  log,
  log1p,
  pow,
  sin,
  sinh,
  tanh,
  TRIG_MAX_ARGUMENT,
} from './math/elementary.js';

// ── Random numbers ──────────────────────────────────────────────────────────────
export {
  type MutableArrayLike,
  Random,
  type RandomState,
  toRandom,
} from './random/random.js';

// ── Model documents ─────────────────────────────────────────────────────────────
export {
  DOCUMENT_FORMAT,
  DOCUMENT_VERSION,
  expandTensors,
  type JsonObject,
  type JsonValue,
  type ModelDocument,
  type Tensor,
  type TensorBase64Json,
  type TensorEncoding,
  type TensorJson,
  type TensorNumbersJson,
} from './document.js';

// ── Data sets ───────────────────────────────────────────────────────────────────
export {
  BARS,
  barsAndStripes,
  type BarsAndStripes,
  type BarsAndStripesOptions,
  classifyBarsAndStripes,
  sampleBarsAndStripes,
  STRIPES,
} from './data/bars-and-stripes.js';
export {
  binarizeSample,
  binarizeThreshold,
  binaryToSpins,
  spinsToBinary,
} from './data/binarize.js';
export {
  flipNoise,
  type FlipNoiseOptions,
  type PatternDomain,
  type RandomPatternOptions,
  randomPatterns,
} from './data/patterns.js';
export {
  concentricRings,
  type ConcentricRingsOptions,
  ringOfGaussians,
  type RingOfGaussiansOptions,
  twoMoons,
  type TwoMoonsOptions,
} from './data/toy2d.js';

// ── Energies ────────────────────────────────────────────────────────────────────
export type {
  Domain,
  EnergyModel,
} from './energy/types.js';
export {
  QuadraticEnergy,
} from './energy/quadratic.js';
export {
  type EnumeratedStates,
  enumerateStates,
  EXACT_MAX_UNITS,
  exactDistribution,
  exactGroundState,
  type ExactGroundStateOptions,
  type ExactLikelihood,
  exactLogLikelihood,
  type ExactLogLikelihoodOptions,
  exactLogPartition,
  exactMarginal,
  exactMoments,
  type ExactMoments,
  type ExactOptions,
  type ExactTemperatureOptions,
  exactThermodynamics,
  type GroundState,
  indexFromState,
  stateFrequencies,
  stateFromIndex,
  type Thermodynamics,
  totalVariation,
  totalVariationBound,
} from './energy/exact.js';

// ── Sampling ────────────────────────────────────────────────────────────────────
export type {
  RunOptions,
  RunResult,
  Sampler,
  SamplerSnapshot,
} from './samplers/types.js';
export {
  runChain,
} from './samplers/run.js';
export {
  geometricSchedule,
  linearSchedule,
  listSchedule,
  logarithmicSchedule,
  type Schedule,
} from './samplers/schedules.js';
export {
  QuadraticGibbs,
  type QuadraticGibbsOptions,
} from './samplers/gibbs.js';
export {
  anneal,
  type AnnealOptions,
  type AnnealResult,
} from './samplers/anneal.js';
export {
  gaussianProposal,
  independenceProposal,
  Metropolis,
  type MetropolisOptions,
  type Proposal,
} from './samplers/metropolis.js';
export {
  geometricLadder,
  ParallelTempering,
  type ParallelTemperingOptions,
  type ReplicaFactory,
} from './samplers/tempering.js';
export {
  Langevin,
  type LangevinOptions,
} from './samplers/langevin.js';
export {
  AnnealedLangevin,
  type AnnealedLangevinOptions,
  type AnnealedLangevinSampleOptions,
  type AnnealedLangevinTarget,
  type BatchedEnergyGradient,
  geometricNoiseLevels,
  type NoiseConditionalScore,
} from './samplers/annealed-langevin.js';
export {
  type ChainFactory,
  chainTraces,
  energyTraces,
  type MultiChainOptions,
  type MultiChainResult,
  runChains,
} from './samplers/chains.js';
export {
  acceptanceRates,
  autocorrelation,
  type AutocorrelationTime,
  type AutocorrelationTimeOptions,
  type ChainSummary,
  effectiveSampleSize,
  energyTrace,
  type EnergyTraceOptions,
  integratedAutocorrelationTime,
  monteCarloStandardError,
  splitRHat,
  summarizeChains,
  type Traces,
} from './samplers/diagnostics.js';
export {
  type FormatTraceOptions,
  formatTrace,
  traceRows,
  type UpdateTrace,
  UpdateTraceRecorder,
  type UpdateTraceRow,
} from './samplers/trace.js';

// ── Models ──────────────────────────────────────────────────────────────────────
export {
  type AnnealRecallOptions,
  type EvolveOptions,
  type EvolveResult,
  type HopfieldFitOptions,
  type HopfieldFitRule,
  HopfieldNetwork,
  type HopfieldNetworkOptions,
  type HopfieldPartialFitOptions,
  type HopfieldSampleOptions,
  type HopfieldScoreOptions,
  type SampleRecallOptions,
  type SampleRecallResult,
  type TieRule,
} from './models/hopfield-network.js';
export {
  type ExpandedFitOptions,
  ExpandedHopfieldNetwork,
  type ExpandedHopfieldNetworkOptions,
  type ExpandedPartialFitOptions,
  type ExpandedRecallOptions,
  type ExpandedRecallResult,
  type ExpandedSampleOptions,
  type ExpandedScoreOptions,
} from './models/expanded-hopfield-network.js';
export {
  type GradedEvolveOptions,
  type GradedFitOptions,
  GradedHopfieldNetwork,
  type GradedHopfieldNetworkOptions,
} from './models/graded-hopfield-network.js';
export {
  DenseAssociativeMemory,
  type DenseAssociativeMemoryOptions,
  type DenseEvolveOptions,
  type DenseFitOptions,
  denseCapacityTheory,
  type InteractionFunction,
} from './models/dense-associative-memory.js';
export {
  type ModernEvolveOptions,
  type ModernFitOptions,
  ModernHopfieldNetwork,
  type ModernHopfieldNetworkOptions,
  type ModernRetrieveOptions,
} from './models/modern-hopfield-network.js';
export {
  type BoltzmannAnnealOptions,
  type BoltzmannChainOptions,
  type BoltzmannLikelihood,
  type BoltzmannLikelihoodOptions,
  BoltzmannMachine,
  BoltzmannMachineChain,
  type BoltzmannMachineFitMethod,
  type BoltzmannMachineFitOptions,
  type BoltzmannMachineOptions,
  type BoltzmannUnits,
  type BoltzmannMachineParameterOptions,
  type BoltzmannMachineSampleOptions,
  type BoltzmannMachineScoreOptions,
  type ClassifyOptions,
  type CompletionOptions,
  type CompletionResult,
} from './models/boltzmann-machine.js';
export {
  RBM,
  RBM_RECIPE,
  type RBMFitOptions,
  type RBMGibbsOptions,
  type RBMLike,
  type RBMOptions,
  type RBMPartialFitOptions,
  type RBMSampleOptions,
  type RBMScoreOptions,
} from './models/rbm.js';
export {
  GaussianRBM,
  type GaussianRBMOptions,
} from './models/gaussian-rbm.js';
export {
  ScaledRBM,
  type ScaledRBMOptions,
} from './models/scaled-rbm.js';
export {
  DBN,
  DBN_EXACT_MAX_UNITS,
  type DBNFitOptions,
  type DBNLayerTrainerOptions,
  type DBNOptions,
  type DBNSampleOptions,
  type DBNScoreOptions,
  type DBNTransformOptions,
  LabelledRBM,
} from './models/dbn.js';
export {
  DBM,
  type DBMFitOptions,
  type DBMOptions,
  type DBMSampleOptions,
  type DBMScoreOptions,
  type DBMTransformOptions,
  type MeanFieldOptions,
} from './models/dbm.js';
export {
  type Activation,
  EnergyNetwork,
  type EnergyNetworkFitMethod,
  type EnergyNetworkFitOptions,
  type EnergyNetworkOptions,
  type EnergyNetworkSampleOptions,
  type EnergyNetworkScoreOptions,
} from './models/energy-network.js';
export { TaylorEngine, type TaylorPass } from './models/energy-network-taylor.js';
export {
  GaussianEnergy,
  type GaussianEnergyFitMethod,
  type GaussianEnergyFitOptions,
  type GaussianEnergyOptions,
  type GaussianEnergySampleOptions,
} from './models/gaussian-energy.js';
export {
  type IsingFitMethod,
  type IsingFitOptions,
  type IsingMeasurement,
  type IsingMeasureOptions,
  IsingModel,
  type IsingModelOptions,
  type IsingSampleOptions,
  type IsingScoreOptions,
  type IsingStandardErrorOptions,
  type IsingStandardErrors,
  IsingSampler,
  type IsingSamplerOptions,
  onsagerCriticalTemperature,
  onsagerEnergyPerSite,
  onsagerMagnetisation,
} from './models/ising.js';
export { kaufmanLogPartition } from './models/ising-exact.js';

// ── Training ────────────────────────────────────────────────────────────────────
export {
  type HebbianOptions,
  hebbianUpdate,
  hebbianWeights,
  HOPFIELD_RULES,
  type HopfieldRule,
  type PseudoInverseOptions,
  pseudoInverseWeights,
  type SpinPatternOptions,
  storeWeights,
  storkeyUpdate,
  storkeyWeights,
  toSpinPatterns,
} from './train/hopfield-rules.js';
export {
  type HopfieldContrastiveOptions,
  type HopfieldContrastiveVariant,
  trainHopfieldContrastive,
} from './train/train-hopfield-contrastive.js';
export {
  type BoltzmannGradient,
  type BoltzmannMachineBatchOptions,
  BoltzmannMachineTrainer,
  type BoltzmannMachineTrainerFitOptions,
  type BoltzmannMachineTrainerOptions,
  type BoltzmannFreeStart,
} from './train/boltzmann-machine-trainer.js';
export {
  type LearningRate,
  type RBMGradient,
  RBMTrainer,
  type RBMTrainerFitOptions,
  type RBMTrainerOptions,
  type RBMTrainingMethod,
} from './train/rbm-trainer.js';
export {
  type DBMPretrainOptions,
  type DBMPretrainResult,
  pretrainDBM,
  pretrainDBMAsync,
} from './train/pretrain-dbm.js';
export {
  DBMTrainer,
  type DBMTrainerFitOptions,
  type DBMTrainerOptions,
  type TemperedTransitionOptions,
} from './train/dbm-trainer.js';
export {
  EBMTrainer,
  type EBMTrainerFitOptions,
  type EBMTrainerOptions,
  type EBMTrainerSampleOptions,
  type EBMTrainerState,
  type EBMTrainerStepStats,
  parametricEnergy,
  type ParametricEnergy,
  type ParametricEnergyFunctions,
  type ParametricEnergyModel,
  type NegativeSampler,
  type NegativeSamplerFactory,
} from './train/ebm-trainer.js';
export {
  denoisingScoreMatchingLoss,
  exactScoreMatchingLoss,
  type GradientEstimatorOptions,
  isSecondOrderEnergy,
  type NceLossResult,
  nceLoss,
  type NoiseComponent,
  NoiseDensity,
  type NoiseMixture,
  noiseConditionalScore,
  type SecondOrderEnergy,
  slicedScoreMatchingLoss,
} from './train/energy-estimators.js';
export {
  type ShortRunEBMOptions,
  type ShortRunEBMSampleOptions,
  type ShortRunEBMStepStats,
  ShortRunEBMTrainer,
} from './train/short-run-ebm.js';
export {
  drawProjections,
  type ProjectionDistribution,
  SlicedScoreMatchingTrainer,
  type SlicedScoreMatchingFitOptions,
} from './train/sliced-score-matching.js';
export {
  DenoisingScoreMatchingTrainer,
  type DenoisingScoreMatchingFitOptions,
} from './train/denoising-score-matching.js';
export type { GaussianParameters, LossAndGradient } from './train/gaussian-natural.js';
export {
  type GaussianNoise,
  type NoiseContrastiveFitOptions,
  NoiseContrastiveTrainer,
} from './train/noise-contrastive-estimation.js';
export {
  ScoreMatchingTrainer,
  type ScoreMatchingFitOptions,
} from './train/score-matching.js';
export {
  LogisticRegression,
  type LogisticRegressionFitOptions,
} from './train/logistic.js';

// ── Evaluation ──────────────────────────────────────────────────────────────────
export {
  logPartition1D,
  logPartition2D,
  type QuadratureInterval,
  type QuadratureOptions,
  type QuadratureResult,
} from './energy/quadrature.js';
export {
  RBM_EXACT_MAX_UNITS,
  rbmExactGradient,
  rbmExactLogLikelihood,
  rbmExactLogPartition,
} from './models/rbm-exact.js';
export {
  type AISOptions,
  type AISPath,
  type AISResult,
  aisSchedule,
  annealedImportanceSampling,
  averageLogLikelihood,
  type LogLikelihoodEstimate,
  rbmAIS,
  rbmAISAsync,
  rbmAISWork,
  annealedImportanceSamplingAsync,
  annealedImportanceSamplingWork,
  type RBMAISOptions,
} from './models/rbm-ais.js';
export {
  fitAsync,
  type EpochFittable,
  type FitAsyncOptions,
  isSteppedWork,
  mapWork,
  thenWork,
  runStepped,
  type RunSteppedOptions,
  type SteppedWork,
  yieldToEventLoop,
} from './models/fit-async.js';
export {
  pseudoLikelihood,
  type PseudoLikelihoodOptions,
} from './models/rbm-pseudo-likelihood.js';
export {
  type LogZLowerBound,
  rbmLogZLowerBound,
} from './models/rbm-log-z-bound.js';
export {
  DBM_EXACT_MAX_UNITS,
  dbmExactLogLikelihood,
  dbmExactLogPartition,
  dbmExactSize,
} from './models/dbm-exact.js';
export {
  dbmAIS,
  dbmAISAsync,
  dbmAISWork,
  dbmHiddenBaseRates,
  dbmHiddenBaseRatesWork,
  dbmLogZLowerBound,
  type DBMAISOptions,
  type DBMBound,
  dbmVariationalBound,
} from './models/dbm-ais.js';
export {
  AGS_CRITICAL_LOAD,
  type Attractor,
  type AttractorKind,
  type BasinOptions,
  type BasinPoint,
  basinRadius,
  type BasinResult,
  type CapacityPoint,
  capacitySweep,
  type CapacitySweepOptions,
  type CueOptions,
  type LabDynamicsOptions,
  makeCue,
  mcElieceCapacity,
  type MemoryCapacityOptions,
  type MemoryKind,
  type MemoryPoint,
  type MemorySweepOptions,
  memoryCapacity,
  memoryCapacitySweep,
  type RecallOptions,
  recallOverlap,
  type RecallResult,
  spuriousAttractors,
  type SpuriousOptions,
  type SpuriousResult,
  stability,
  type StabilityOptions,
  type StabilityResult,
} from './eval/capacity.js';

// ── Files and formats ───────────────────────────────────────────────────────────
export {
  createRegistry,
  type EvaluateHookOptions,
  type EvaluateReport,
  type KindCommandOptions,
  type KindOption,
  KindOptionError,
  type KindOptionType,
  type KindOptionValues,
  MODEL_REGISTRY,
  type ModelKind,
  type ModelRegistry,
  type RecallHookOptions,
  type RecallHookResult,
  type SampleHookOptions,
  type StageSetup,
  type Saveable,
  type TrainContext,
  type TrainingPlan,
  type TrainingStage,
} from './io/registry.js';
export {
  type AnyModel,
  loadModel,
  type LoadModelOptions,
  MAX_MODEL_TEXT,
  MODEL_KINDS,
  parseModelText,
} from './io/load-model.js';
export {
  type FitOptionsOf,
  fitInWorker,
  ModelWorkerError,
  type ModelWorkerLike,
  type ModelWorkerScope,
  type ScoreOptionsOf,
  scoreInWorker,
  serveModelWorker,
  type ServeModelWorkerOptions,
  type WorkerOptions,
  type WorkerProgress,
  type WorkerRunOptions,
} from './io/worker.js';
export {
  decodeSafetensors,
  documentToSafetensors,
  type DocumentToSafetensorsOptions,
  encodeSafetensors,
  type EncodeSafetensorsOptions,
  SAFETENSORS_MAX_DIMS,
  SAFETENSORS_MAX_HEADER_BYTES,
  type SafetensorsDtype,
  type SafetensorsFile,
  safetensorsToDocument,
} from './io/safetensors.js';
export {
  CSV_DEFAULT_MAX_COLUMNS,
  type CsvTable,
  parseCsv,
  type ParseCsvOptions,
  writeCsv,
  type WriteCsvOptions,
} from './io/csv.js';
export {
  encodeIdx,
  gunzip,
  GUNZIP_DEFAULT_MAX_BYTES,
  IDX_MAX_DIMS,
  IDX_TYPE_CODES,
  type IdxArray,
  type IdxData,
  type IdxHeader,
  idxToMatrix,
  type IdxType,
  isGzip,
  parseIdx,
  parseIdxHeader,
  readIdx,
} from './io/idx.js';
export {
  type Color,
  type Colormap,
  colormapColor,
  COLORMAPS,
  createImage,
  heatmap,
  type HeatmapOptions,
  MAX_IMAGE_PIXELS,
  type RgbaImage,
  tileFilters,
  tileImages,
  type TileOptions,
  type ValueRange,
} from './io/image.js';
export {
  type LegendPosition,
  linePlot,
  type LinePlotOptions,
  PLOT_COLORS,
  type PlotMark,
  type PlotSeries,
} from './io/svg.js';
export {
  type EnergyLandscape,
  type EnergyLandscapeOptions,
  energyLandscape,
  LANDSCAPE_MAX_UNITS,
  landscapeImage,
  landscapeSvg,
  type LandscapeViewOptions,
} from './io/views/landscape.js';
export { type ProbabilityBarsOptions, probabilityBarsSvg, spinLabels } from './io/views/probability-bars.js';
export {
  type ContourSvgOptions,
  contourLevels,
  contourSegments,
  contourSvg,
  type EnergyGrid,
  type EnergyGridOptions,
  energyGrid,
} from './io/views/contours.js';
export { CURVE_METRICS, type CurveMetric, type TrainingCurveOptions, trainingCurveSvg } from './io/views/training-curve.js';

