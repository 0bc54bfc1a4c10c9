/**
 * A minimal ONNX model encoder: just enough protobuf to build small graphs programmatically
 * (nodes, graph inputs/outputs, constant initialisers) and hand the bytes to onnxruntime.
 * Field numbers are those of `onnx.proto` (ModelProto, GraphProto, NodeProto, AttributeProto,
 * ValueInfoProto, TypeProto, TensorShapeProto, TensorProto).
 */

class Proto {
  private parts: number[] = [];

  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.parts.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.parts.push(Number(v));
  }
  private key(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }
  int(field: number, value: number | bigint): this {
    this.key(field, 0);
    this.varint(value);
    return this;
  }
  float(field: number, value: number): this {
    this.key(field, 5);
    const bytes = new Uint8Array(new Float32Array([value]).buffer);
    this.parts.push(...bytes);
    return this;
  }
  bytes(field: number, value: Uint8Array): this {
    this.key(field, 2);
    this.varint(value.length);
    for (const b of value) this.parts.push(b);
    return this;
  }
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }
  message(field: number, value: Proto): this {
    return this.bytes(field, value.finish());
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** ONNX tensor element types used here. */
export const OnnxType = { FLOAT: 1, UINT8: 2, INT8: 3, INT64: 7, FLOAT16: 10, DOUBLE: 11 } as const;

/** A node attribute value. */
export type OnnxAttribute = number | { float: number } | readonly number[] | string;

/** One graph node. */
export interface OnnxNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, OnnxAttribute>>;
  readonly domain?: string;
}

/** A graph input or output: name, element type, dims (a string is a symbolic dimension). */
export interface OnnxValueInfo {
  readonly name: string;
  readonly type?: number;
  readonly dims: readonly (number | string)[];
}

/** A constant tensor stored in the graph. */
export interface OnnxInitializer {
  readonly name: string;
  readonly type: number;
  readonly dims: readonly number[];
  readonly data: Float32Array | Float64Array | BigInt64Array;
}

function attribute(name: string, value: OnnxAttribute): Proto {
  const p = new Proto().string(1, name);
  if (typeof value === "number") return p.int(3, value).int(20, 2);
  if (typeof value === "string") return p.string(4, value).int(20, 3);
  if (Array.isArray(value)) {
    for (const v of value as readonly number[]) p.int(8, v);
    return p.int(20, 7);
  }
  return p.float(2, (value as { float: number }).float).int(20, 1);
}

function valueInfo(info: OnnxValueInfo): Proto {
  const shape = new Proto();
  for (const d of info.dims) shape.message(1, typeof d === "number" ? new Proto().int(1, d) : new Proto().string(2, d));
  const tensorType = new Proto().int(1, info.type ?? OnnxType.FLOAT).message(2, shape);
  return new Proto().string(1, info.name).message(2, new Proto().message(1, tensorType));
}

/** Encodes a single-graph ONNX model (opset 17 of the default domain, plus com.microsoft 1). */
export function encodeOnnxModel(graph: {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly initializers?: readonly OnnxInitializer[];
}): Uint8Array {
  const g = new Proto();
  graph.nodes.forEach((node, i) => {
    const n = new Proto();
    for (const input of node.inputs) n.string(1, input);
    for (const output of node.outputs) n.string(2, output);
    n.string(3, `${node.op}_${i}`).string(4, node.op);
    for (const [name, value] of Object.entries(node.attributes ?? {})) n.message(5, attribute(name, value));
    if (node.domain !== undefined) n.string(7, node.domain);
    g.message(1, n);
  });
  g.string(2, graph.name);
  for (const init of graph.initializers ?? []) {
    const t = new Proto();
    for (const d of init.dims) t.int(1, d);
    t.int(2, init.type)
      .string(8, init.name)
      .bytes(9, new Uint8Array(init.data.buffer, init.data.byteOffset, init.data.byteLength));
    g.message(5, t);
  }
  for (const input of graph.inputs) g.message(11, valueInfo(input));
  for (const output of graph.outputs) g.message(12, valueInfo(output));
  return new Proto()
    .int(1, 8)
    .string(2, "medsim")
    .message(7, g)
    .message(8, new Proto().string(1, "").int(2, 17))
    .message(8, new Proto().string(1, "com.microsoft").int(2, 1))
    .finish();
}
