// Prisma's parameterization graph (the generated client's `config.parameterizationSchema`): a table of names and a
// binary graph whose edges are keyed by indices into that table. The client decodes it at construction into one plain
// object per node, `edges[nameIndex] = edge`. V8 stores such integer keys as an array as long as the largest index
// (holey elements): with 894 names, 2,124 nodes of 4 edges on average took 7.2 MB of heap for the life of the process.
// Keys from 1,024 up (V8's largest gap from an empty object's elements to a new index) make each object a small
// dictionary instead: 1.1 MB. So generate-client.mjs shifts every name index in the graph by NAME_OFFSET and puts that
// many empty names in front of the table; the client reads the same graph, names and lookups (ADR 017, "Idle memory").
//
// The format is the one the runtime of @prisma/client 7.10 reads (`deserialize` in runtime/client.js): three counts,
// then input nodes (edges: name, scalar mask u16, child node, enum name, flags u8), output nodes (edges: name, args
// node, output node), roots (name, args node, output node); counts and indices are LEB128 varints, optional ones
// stored plus one with 0 for none. `compactSchemaSource` re-encodes the graph unshifted first and leaves the source as
// it is unless that gives back the same bytes, so another format is never rewritten.

/** How far name indices are shifted: at least V8's JSObject::kMaxGap (1,024), so the first key makes a dictionary. */
export const NAME_OFFSET = 1024;

/** Marks a schema already shifted (generate-client.mjs runs after every `prisma generate`, which writes it anew). */
const MARK = '/* names shifted by scripts/parameterization-graph.mjs (ADR 017) */';

/** The graph as plain data: every field a number, `undefined` where the format stores none. */
export function decodeGraph(graph) {
  const bytes = Buffer.from(graph, 'base64url');
  let at = 0;
  const byte = () => {
    if (at >= bytes.length) throw new Error('parameterization graph: truncated');
    return bytes[at++];
  };
  const varint = () => {
    let value = 0;
    let shift = 0;
    let b;
    do {
      b = byte();
      value += (b & 127) * 2 ** shift;
      shift += 7;
    } while (b >= 128);
    return value;
  };
  const optional = () => {
    const v = varint();
    return v === 0 ? undefined : v - 1;
  };
  const u16 = () => byte() | (byte() << 8);
  const inputCount = varint();
  const outputCount = varint();
  const rootCount = varint();
  const inputNodes = Array.from({ length: inputCount }, () =>
    Array.from({ length: varint() }, () => ({ name: varint(), scalarMask: u16(), child: optional(), enumName: optional(), flags: byte() })),
  );
  const outputNodes = Array.from({ length: outputCount }, () => Array.from({ length: varint() }, () => ({ name: varint(), args: optional(), output: optional() })));
  const roots = Array.from({ length: rootCount }, () => ({ name: varint(), args: optional(), output: optional() }));
  if (at !== bytes.length) throw new Error(`parameterization graph: ${bytes.length - at} bytes left after the roots`);
  return { inputNodes, outputNodes, roots };
}

/** The graph back in Prisma's encoding (base64url), every name index (edge names, enum names, roots) plus `shift`. */
export function encodeGraph({ inputNodes, outputNodes, roots }, shift = 0) {
  const out = [];
  const varint = (value) => {
    let v = value;
    while (v >= 128) {
      out.push((v % 128) | 128);
      v = Math.floor(v / 128);
    }
    out.push(v);
  };
  const optional = (value) => varint(value === undefined ? 0 : value + 1);
  varint(inputNodes.length);
  varint(outputNodes.length);
  varint(roots.length);
  for (const edges of inputNodes) {
    varint(edges.length);
    for (const e of edges) {
      varint(e.name + shift);
      out.push(e.scalarMask & 255, e.scalarMask >> 8);
      optional(e.child);
      optional(e.enumName === undefined ? undefined : e.enumName + shift);
      out.push(e.flags);
    }
  }
  for (const edges of outputNodes) {
    varint(edges.length);
    for (const e of edges) {
      varint(e.name + shift);
      optional(e.args);
      optional(e.output);
    }
  }
  for (const r of roots) {
    varint(r.name + shift);
    optional(r.args);
    optional(r.output);
  }
  return Buffer.from(out).toString('base64url');
}

const SCHEMA = /config\.parameterizationSchema = \{\n(\s*)strings: (JSON\.parse\("(?:[^"\\]|\\.)*"\)),\n\s*graph: "([A-Za-z0-9_-]*)"\n\}/;

/**
 * The generated client's source (internal/class.ts) with its parameterization graph's name indices shifted by
 * NAME_OFFSET, or a reason it was left as generated (not found, already shifted, a format this code does not know).
 */
export function compactSchemaSource(source) {
  if (source.includes(MARK)) return { reason: 'already shifted' };
  const match = SCHEMA.exec(source);
  if (!match) return { reason: 'config.parameterizationSchema not found in the shape this script knows' };
  const [, indent, stringsExpression, graph] = match;
  let decoded;
  try {
    decoded = decodeGraph(graph);
  } catch (error) {
    return { reason: error.message };
  }
  if (encodeGraph(decoded) !== graph) return { reason: 'the graph does not re-encode to the same bytes (another format?)' };
  const names = JSON.parse(JSON.parse(stringsExpression.slice('JSON.parse('.length, -1)));
  const indices = [
    ...decoded.inputNodes.flat().flatMap((e) => (e.enumName === undefined ? [e.name] : [e.name, e.enumName])),
    ...decoded.outputNodes.flat().map((e) => e.name),
    ...decoded.roots.map((r) => r.name),
  ];
  if (indices.some((i) => i >= names.length)) return { reason: 'a name index is beyond the names table' };
  const replacement = [
    `config.parameterizationSchema = {`,
    `${indent}${MARK}`,
    `${indent}strings: new Array(${NAME_OFFSET}).fill('').concat(${stringsExpression}),`,
    `${indent}graph: "${encodeGraph(decoded, NAME_OFFSET)}"`,
    `}`,
  ].join('\n');
  return { source: source.replace(SCHEMA, () => replacement) };
}
