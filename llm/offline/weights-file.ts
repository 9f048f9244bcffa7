/**
 * The committed weights file: int8-quantised weights of both language models, gzip-compressed.
 * Layout (before gzip): magic `TBSW`, u32 header length, UTF-8 JSON header, then for each model in header order
 * `2^bits` int8 values. Format 2 adds, per model, optional dense weights (float, in the header) and the lexicons the
 * dense features read (word/valence pairs, in the header), so the tagger needs no lexicon package.
 * Quantisation is square-root companded: a weight is `sign(q) * (q / 127)^2 * clip`, which
 * keeps fine steps for the many small weights and coarse ones for the few large ones; weights beyond the clip
 * (the top 0.01%) are saturated.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ModelLanguage } from './features.js';
import type { LanguageModel, SentimentModels } from './linear-model.js';

const MAGIC = 'TBSW';

interface WeightsHeader {
  format: 1 | 2;
  models: {
    language: ModelLanguage;
    bits: number;
    bias: number;
    clip: number;
    denseWeights?: number[];
    lexicons?: [string, number][][];
  }[];
}

/**
 * Scale for int8 from the 99.99th percentile of non-zero |w|, not the maximum: one outlier weight would otherwise
 * squash every other weight into a few levels.
 */
function quantClip(weights: Float32Array): number {
  const abs: number[] = [];
  for (const w of weights) if (w !== 0) abs.push(Math.abs(w));
  if (!abs.length) return 1;
  abs.sort((a, b) => a - b);
  const clip = abs[Math.min(abs.length - 1, Math.floor(abs.length * 0.9999))] as number;
  return clip || 1;
}

export function encodeWeights(models: SentimentModels): Buffer {
  const languages: ModelLanguage[] = ['zh', 'en'];
  const header: WeightsHeader = { format: 2, models: [] };
  const bodies: Buffer[] = [];
  for (const language of languages) {
    const model = models[language];
    const clip = quantClip(model.weights);
    const q = new Int8Array(model.weights.length);
    for (let i = 0; i < q.length; i++) {
      const w = model.weights[i] as number;
      q[i] = Math.sign(w) * Math.round(127 * Math.sqrt(Math.min(1, Math.abs(w) / clip)));
    }
    header.models.push({
      language,
      bits: model.bits,
      bias: model.bias,
      clip,
      ...(model.denseWeights ? { denseWeights: Array.from(model.denseWeights) } : {}),
      // Sorted, so the same lexicon always gives the same bytes.
      ...(model.lexicons?.length
        ? { lexicons: model.lexicons.map((l) => [...l].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) }
        : {}),
    });
    bodies.push(Buffer.from(q.buffer, q.byteOffset, q.byteLength));
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  return gzipSync(Buffer.concat([Buffer.from(MAGIC, 'ascii'), length, json, ...bodies]), { level: 9 });
}

export function decodeWeights(file: Buffer): SentimentModels {
  const raw = gunzipSync(file);
  if (raw.toString('ascii', 0, 4) !== MAGIC) throw new Error('decodeWeights: not a tuanbot sentiment weights file');
  const headerLength = raw.readUInt32LE(4);
  const header = JSON.parse(raw.toString('utf8', 8, 8 + headerLength)) as WeightsHeader;
  if (header.format !== 1 && header.format !== 2) throw new Error(`decodeWeights: unsupported format ${String(header.format)}`);
  let at = 8 + headerLength;
  const models: Partial<SentimentModels> = {};
  for (const m of header.models) {
    const size = 1 << m.bits;
    const q = new Int8Array(raw.buffer, raw.byteOffset + at, size);
    const levels = new Float32Array(256);
    for (let v = -127; v <= 127; v++) levels[v + 128] = Math.sign(v) * (v / 127) ** 2 * m.clip;
    const weights = new Float32Array(size);
    for (let i = 0; i < size; i++) weights[i] = levels[(q[i] as number) + 128] as number;
    at += size;
    const model: LanguageModel = {
      bits: m.bits,
      weights,
      bias: m.bias,
      ...(m.denseWeights ? { denseWeights: Float64Array.from(m.denseWeights) } : {}),
      ...(m.lexicons ? { lexicons: m.lexicons.map((pairs) => new Map(pairs)) } : {}),
    };
    models[m.language] = model;
  }
  if (!models.zh || !models.en) throw new Error('decodeWeights: the file must hold both the zh and the en model');
  return models as SentimentModels;
}
