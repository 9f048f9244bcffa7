/**
 * What a test can check of a PNG without decoding it: the 8-byte signature, then the IHDR chunk that must come first
 * (length 13, type "IHDR", width and height as big-endian 32-bit numbers).
 */

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The picture's size if the bytes start as a PNG must (signature, then IHDR), else null. */
export function pngSize(bytes: Uint8Array | undefined): { width: number; height: number } | null {
  if (!bytes || bytes.length < 33) return null;
  if (!SIGNATURE.every((b, i) => bytes[i] === b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = String.fromCharCode(...bytes.subarray(12, 16));
  if (view.getUint32(8) !== 13 || type !== 'IHDR') return null;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
