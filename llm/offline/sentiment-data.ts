/**
 * Reads the labelled review corpora in shared/data/sentiment and makes the fixed, seeded train/validation/test
 * split. The training script and the accuracy test both import this module, so the held-out test rows are the
 * same rows in both places. Raw rows are only ever read from the data folder, never copied into the project.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';

export type DatasetName = 'zh_shopping' | 'zh_hotel' | 'en_uci';
export const DATASET_NAMES: readonly DatasetName[] = ['zh_shopping', 'zh_hotel', 'en_uci'];

/** One labelled review: label 1 = positive, 0 = negative. */
export interface LabelledText {
  text: string;
  label: 0 | 1;
  /** Product category of an online_shopping_10_cats row (书籍, 水果, 蒙牛, ...), for leave-one-category-out tests. */
  category?: string;
}

export interface DatasetSplit {
  train: LabelledText[];
  validation: LabelledText[];
  test: LabelledText[];
}

/** The split seed. Changing it changes the held-out test rows: retrain and re-measure if you do. */
export const SPLIT_SEED = 20261122;
/** Shares of each dataset: 80% train, 10% validation (for tuning), 10% test (reported, never tuned on). */
export const SPLIT_SHARES = { train: 0.8, validation: 0.1 } as const;

/** Where the data live when the project sits beside shared/ (as in CI): `<project>/../shared/data/sentiment`. */
export function defaultDataDir(projectRoot: string): string {
  return join(projectRoot, '..', 'shared', 'data', 'sentiment');
}

export function hasSentimentData(dir: string): boolean {
  return existsSync(join(dir, 'online_shopping_10_cats.zip')) && existsSync(join(dir, 'uci_yelp_labelled.txt'));
}

/** Reads one dataset, dropping empty texts and exact duplicate texts (so no review sits in both train and test). */
export function loadDataset(dir: string, name: DatasetName): LabelledText[] {
  const rows = readRaw(dir, name);
  const seen = new Set<string>();
  const out: LabelledText[] = [];
  for (const row of rows) {
    const text = row.text.trim();
    if (!text || seen.has(text)) continue;
    seen.add(text);
    out.push(row.category === undefined ? { text, label: row.label } : { text, label: row.label, category: row.category });
  }
  return out;
}

function readRaw(dir: string, name: DatasetName): LabelledText[] {
  switch (name) {
    case 'zh_shopping': {
      const csv = readZipEntry(join(dir, 'online_shopping_10_cats.zip'), 'online_shopping_10_cats.csv');
      // cat,label,review
      return parseCsv(csv).slice(1).flatMap((r) => toRow(r[1], r[2]).map((row) => ({ ...row, category: r[0] ?? '' })));
    }
    case 'zh_hotel': {
      const csv = readFileSync(join(dir, 'ChnSentiCorp_htl_all.csv'), 'utf8');
      // label,review
      return parseCsv(csv).slice(1).flatMap((r) => toRow(r[0], r[1]));
    }
    case 'en_uci': {
      const files = ['uci_amazon_cells_labelled.txt', 'uci_yelp_labelled.txt', 'uci_imdb_labelled.txt'];
      return files.flatMap((file) =>
        readFileSync(join(dir, file), 'utf8')
          .split(/\r?\n/)
          .flatMap((line) => {
            const tab = line.lastIndexOf('\t');
            return tab < 0 ? [] : toRow(line.slice(tab + 1), line.slice(0, tab));
          }),
      );
    }
  }
}

function toRow(label: string | undefined, text: string | undefined): LabelledText[] {
  const l = label?.trim();
  if ((l !== '0' && l !== '1') || text === undefined) return [];
  return [{ text, label: l === '1' ? 1 : 0 }];
}

/**
 * Splits with a seeded shuffle per dataset and label (stratified), so each split keeps the dataset's balance and the
 * same seed always gives the same rows.
 */
export function splitDataset(rows: readonly LabelledText[], seed = SPLIT_SEED): DatasetSplit {
  const split: DatasetSplit = { train: [], validation: [], test: [] };
  for (const label of [0, 1] as const) {
    const group = rows.filter((r) => r.label === label);
    shuffleInPlace(group, mulberry32(seed + label));
    const nTrain = Math.round(group.length * SPLIT_SHARES.train);
    const nValidation = Math.round(group.length * SPLIT_SHARES.validation);
    split.train.push(...group.slice(0, nTrain));
    split.validation.push(...group.slice(nTrain, nTrain + nValidation));
    split.test.push(...group.slice(nTrain + nValidation));
  }
  // Interleave labels deterministically so training sees no long single-label runs.
  const rng = mulberry32(seed ^ 0x5bd1e995);
  shuffleInPlace(split.train, rng);
  shuffleInPlace(split.validation, rng);
  shuffleInPlace(split.test, rng);
  return split;
}

/** Loads and splits one dataset in one call: what the test and the bench use to get the held-out rows. */
export function loadSplit(dir: string, name: DatasetName, seed = SPLIT_SEED): DatasetSplit {
  return splitDataset(loadDataset(dir, name), seed);
}

/** A small, fast, seedable PRNG (mulberry32): returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffleInPlace<T>(items: T[], rng: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
}

/** RFC 4180 CSV: quoted fields, doubled quotes, newlines inside quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Reads one stored or deflated entry of a zip file through its central directory (no zip64, no encryption). */
export function readZipEntry(path: string, entryName: string): string {
  const buf = readFileSync(path);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`readZipEntry: ${path} is not a zip file (no end of central directory)`);
  const entries = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`readZipEntry: bad central directory in ${path}`);
    const method = buf.readUInt16LE(at + 10);
    const compressedSize = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const localHeader = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    if (name === entryName) {
      const dataStart = localHeader + 30 + buf.readUInt16LE(localHeader + 26) + buf.readUInt16LE(localHeader + 28);
      const data = buf.subarray(dataStart, dataStart + compressedSize);
      if (method === 0) return data.toString('utf8');
      if (method === 8) return inflateRawSync(data).toString('utf8');
      throw new Error(`readZipEntry: ${entryName} uses unsupported compression method ${method}`);
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`readZipEntry: ${entryName} not found in ${path}`);
}
