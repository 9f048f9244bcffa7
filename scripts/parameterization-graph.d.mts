// Types of scripts/parameterization-graph.mjs (plain JavaScript: generate-client.mjs runs it at install, before tsx).
export interface InputEdge {
  name: number;
  scalarMask: number;
  child: number | undefined;
  enumName: number | undefined;
  flags: number;
}
export interface OutputEdge {
  name: number;
  args: number | undefined;
  output: number | undefined;
}
export interface ParameterizationGraph {
  inputNodes: InputEdge[][];
  outputNodes: OutputEdge[][];
  roots: OutputEdge[];
}
export declare const NAME_OFFSET: number;
export declare function decodeGraph(graph: string): ParameterizationGraph;
export declare function encodeGraph(graph: ParameterizationGraph, shift?: number): string;
export declare function compactSchemaSource(source: string): { source: string } | { reason: string };
