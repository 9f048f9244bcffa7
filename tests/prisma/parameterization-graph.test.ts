/**
 * The generated client's parameterization graph with its name indices shifted (scripts/parameterization-graph.mjs,
 * applied by generate-client.mjs; ADR 017): the shift keeps every edge's name, and a graph this code cannot re-encode
 * exactly is left as generated. That the shifted client still runs is what every test on the database shows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../prisma/project-root.js';
import { compactSchemaSource, decodeGraph, encodeGraph, NAME_OFFSET, type ParameterizationGraph } from '../../scripts/parameterization-graph.mjs';

const generated = readFileSync(join(PROJECT_ROOT, 'prisma', 'generated', 'internal', 'class.ts'), 'utf8');

/** The names table and graph of a class.ts source (shifted or not). */
function schemaOf(source: string): { names: string[]; graph: string } {
  const match = /config\.parameterizationSchema = \{\n[^]*?strings: (new Array\((\d+)\)\.fill\(''\)\.concat\()?JSON\.parse\(("(?:[^"\\]|\\.)*")\)\)?,\n\s*graph: "([^"]*)"/.exec(source);
  if (!match) throw new Error('no parameterizationSchema');
  const names = JSON.parse(JSON.parse(match[3]!)) as string[];
  return { names: [...new Array<string>(Number(match[2] ?? 0)).fill(''), ...names], graph: match[4]! };
}

/** Every edge and root as the names it uses, in graph order: what the client looks up. */
function namedEdges(graph: ParameterizationGraph, names: string[]): string[] {
  return [
    ...graph.inputNodes.flatMap((edges, node) => edges.map((e) => `in ${node} ${names[e.name]} ${e.scalarMask} ${e.child} ${e.enumName === undefined ? '-' : names[e.enumName]} ${e.flags}`)),
    ...graph.outputNodes.flatMap((edges, node) => edges.map((e) => `out ${node} ${names[e.name]} ${e.args} ${e.output}`)),
    ...graph.roots.map((r) => `root ${names[r.name]} ${r.args} ${r.output}`),
  ];
}

/** The generated source as `prisma generate` wrote it, before the shift (rebuilt from the shifted one). */
function unshifted(): string {
  const { names, graph } = schemaOf(generated);
  const original = encodeGraph(decodeGraph(graph), -NAME_OFFSET);
  const literal = JSON.stringify(JSON.stringify(names.slice(NAME_OFFSET)));
  return generated.replace(
    /config\.parameterizationSchema = \{\n[^]*?\n\}/,
    () => `config.parameterizationSchema = {\n  strings: JSON.parse(${literal}),\n  graph: "${original}"\n}`,
  );
}

describe('parameterization graph', () => {
  it('is shifted in the generated client: every name index from NAME_OFFSET up, each naming a real name', () => {
    const { names, graph } = schemaOf(generated);
    const decoded = decodeGraph(graph);
    const indices = [
      ...decoded.inputNodes.flat().flatMap((e) => (e.enumName === undefined ? [e.name] : [e.name, e.enumName])),
      ...decoded.outputNodes.flat().map((e) => e.name),
      ...decoded.roots.map((r) => r.name),
    ];
    expect(indices.length).toBeGreaterThan(1000);
    expect(Math.min(...indices)).toBeGreaterThanOrEqual(NAME_OFFSET);
    expect(indices.every((i) => (names[i] ?? '') !== '')).toBe(true);
    expect(names.slice(0, NAME_OFFSET).every((name) => name === '')).toBe(true);
  });

  it('keeps every edge, root and name when shifting a graph as prisma generate writes it', () => {
    const source = unshifted();
    const before = schemaOf(source);
    expect(before.names.length).toBeLessThan(NAME_OFFSET + 1);
    const result = compactSchemaSource(source);
    if (!('source' in result)) throw new Error(result.reason);
    const after = schemaOf(result.source);
    expect(after.graph).not.toBe(before.graph);
    expect(namedEdges(decodeGraph(after.graph), after.names)).toEqual(namedEdges(decodeGraph(before.graph), before.names));
    // Nothing but the schema changed, and a second pass leaves it alone.
    expect(result.source.replace(/config\.parameterizationSchema = \{\n[^]*?\n\}/, '')).toBe(source.replace(/config\.parameterizationSchema = \{\n[^]*?\n\}/, ''));
    expect(compactSchemaSource(result.source)).toEqual({ reason: 'already shifted' });
  });

  it('leaves a graph it cannot re-encode exactly as generated', () => {
    const source = unshifted();
    const { graph } = schemaOf(source);
    // One more byte after the roots: a format with something this code does not know.
    const longer = Buffer.concat([Buffer.from(graph, 'base64url'), Buffer.from([0])]).toString('base64url');
    const result = compactSchemaSource(source.replace(graph, longer));
    expect('reason' in result && result.reason).toMatch(/bytes left after the roots/);
    expect(compactSchemaSource(source.replace(/graph: "[^"]*"/, 'graph: 42'))).toEqual({ reason: 'config.parameterizationSchema not found in the shape this script knows' });
  });
});
