/** Names the training script writes and the tagger reads; one place so the two cannot drift apart. */

/** Bump the version whenever the weights file changes, so stored tags say which model produced them. */
export const OFFLINE_TAGGER_NAME = 'offline:v2';
/** Committed beside this file: int8 weights of both language models, gzip-compressed (see weights-file.ts). */
export const WEIGHTS_FILE = 'sentiment-weights.bin.gz';
/** Committed beside this file: accuracy per dataset on validation and test, as the training script measured it. */
export const METRICS_FILE = 'metrics.json';
