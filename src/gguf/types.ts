/** GGML tensor types and GGUF metadata value types, numbered as in llama.cpp's `ggml.h` / `gguf.h`. */

/** GGML tensor element types (the subset this module knows about; numbers are the on-disk ids). */
export const GgmlType = {
  F32: 0,
  F16: 1,
  Q4_0: 2,
  Q4_1: 3,
  Q5_0: 6,
  Q5_1: 7,
  Q8_0: 8,
  Q8_1: 9,
  Q2_K: 10,
  Q3_K: 11,
  Q4_K: 12,
  Q5_K: 13,
  Q6_K: 14,
  Q8_K: 15,
  I8: 24,
  I16: 25,
  I32: 26,
  I64: 27,
  F64: 28,
  BF16: 30,
} as const;
export type GgmlType = (typeof GgmlType)[keyof typeof GgmlType];

/** Block geometry of a tensor type: `blockSize` elements are stored in `typeSize` bytes. */
export interface GgmlTypeInfo {
  readonly name: string;
  readonly blockSize: number;
  readonly typeSize: number;
}

const typeInfo = new Map<number, GgmlTypeInfo>([
  [GgmlType.F32, { name: "F32", blockSize: 1, typeSize: 4 }],
  [GgmlType.F16, { name: "F16", blockSize: 1, typeSize: 2 }],
  [GgmlType.Q4_0, { name: "Q4_0", blockSize: 32, typeSize: 18 }],
  [GgmlType.Q4_1, { name: "Q4_1", blockSize: 32, typeSize: 20 }],
  [GgmlType.Q5_0, { name: "Q5_0", blockSize: 32, typeSize: 22 }],
  [GgmlType.Q5_1, { name: "Q5_1", blockSize: 32, typeSize: 24 }],
  [GgmlType.Q8_0, { name: "Q8_0", blockSize: 32, typeSize: 34 }],
  [GgmlType.Q8_1, { name: "Q8_1", blockSize: 32, typeSize: 36 }],
  [GgmlType.Q2_K, { name: "Q2_K", blockSize: 256, typeSize: 84 }],
  [GgmlType.Q3_K, { name: "Q3_K", blockSize: 256, typeSize: 110 }],
  [GgmlType.Q4_K, { name: "Q4_K", blockSize: 256, typeSize: 144 }],
  [GgmlType.Q5_K, { name: "Q5_K", blockSize: 256, typeSize: 176 }],
  [GgmlType.Q6_K, { name: "Q6_K", blockSize: 256, typeSize: 210 }],
  [GgmlType.Q8_K, { name: "Q8_K", blockSize: 256, typeSize: 292 }],
  [GgmlType.I8, { name: "I8", blockSize: 1, typeSize: 1 }],
  [GgmlType.I16, { name: "I16", blockSize: 1, typeSize: 2 }],
  [GgmlType.I32, { name: "I32", blockSize: 1, typeSize: 4 }],
  [GgmlType.I64, { name: "I64", blockSize: 1, typeSize: 8 }],
  [GgmlType.F64, { name: "F64", blockSize: 1, typeSize: 8 }],
  [GgmlType.BF16, { name: "BF16", blockSize: 1, typeSize: 2 }],
]);

/** Geometry of a tensor type, or `undefined` for an id this module does not know. */
export function ggmlTypeInfo(type: number): GgmlTypeInfo | undefined {
  return typeInfo.get(type);
}

/** The name of a tensor type (`"Q8_0"`), or `"type <n>"` for an unknown id. */
export function ggmlTypeName(type: number): string {
  return typeInfo.get(type)?.name ?? `type ${type}`;
}

/** The type id for a name such as `"q8_0"` (case-insensitive), or `undefined`. */
export function ggmlTypeFromName(name: string): GgmlType | undefined {
  const upper = name.toUpperCase();
  for (const [id, info] of typeInfo) if (info.name === upper) return id as GgmlType;
  return undefined;
}

/** GGUF metadata value type ids. */
export const GgufValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;

/** Names of the scalar metadata types. */
export type GgufScalarTypeName =
  | "uint8"
  | "int8"
  | "uint16"
  | "int16"
  | "uint32"
  | "int32"
  | "float32"
  | "bool"
  | "string"
  | "uint64"
  | "int64"
  | "float64";

/**
 * A typed metadata value. The on-disk type is kept so that a file read and written back keeps
 * its types (llama.cpp is strict about e.g. `uint32` vs `int32` for some keys).
 */
export type GgufValue =
  | {
      readonly type: "uint8" | "int8" | "uint16" | "int16" | "uint32" | "int32" | "float32" | "float64";
      readonly value: number;
    }
  | { readonly type: "uint64" | "int64"; readonly value: bigint }
  | { readonly type: "bool"; readonly value: boolean }
  | { readonly type: "string"; readonly value: string }
  | GgufArrayValue;

/** An array value; items are plain JS values of `itemType` (nested arrays hold `GgufArrayValue`s). */
export interface GgufArrayValue {
  readonly type: "array";
  readonly itemType: GgufScalarTypeName | "array";
  readonly value: readonly (number | bigint | boolean | string | GgufArrayValue)[];
}

/** Describes one tensor in the file. `shape` is in GGML order: `shape[0]` is the innermost (row) length. */
export interface GgufTensorInfo {
  readonly name: string;
  readonly shape: readonly number[];
  readonly type: number;
  /** Offset of the data relative to the start of the data section. */
  readonly relativeOffset: number;
  /** Absolute offset of the data in the file. */
  readonly offset: number;
  /** Number of elements. */
  readonly elementCount: number;
  /** Number of bytes of data. */
  readonly byteLength: number;
}

/** Helpers to build typed metadata values. */
export const gv = {
  u8: (value: number): GgufValue => ({ type: "uint8", value }),
  i8: (value: number): GgufValue => ({ type: "int8", value }),
  u16: (value: number): GgufValue => ({ type: "uint16", value }),
  i16: (value: number): GgufValue => ({ type: "int16", value }),
  u32: (value: number): GgufValue => ({ type: "uint32", value }),
  i32: (value: number): GgufValue => ({ type: "int32", value }),
  f32: (value: number): GgufValue => ({ type: "float32", value }),
  f64: (value: number): GgufValue => ({ type: "float64", value }),
  u64: (value: bigint | number): GgufValue => ({ type: "uint64", value: BigInt(value) }),
  i64: (value: bigint | number): GgufValue => ({ type: "int64", value: BigInt(value) }),
  bool: (value: boolean): GgufValue => ({ type: "bool", value }),
  str: (value: string): GgufValue => ({ type: "string", value }),
  arr: (itemType: GgufArrayValue["itemType"], value: GgufArrayValue["value"]): GgufValue => ({
    type: "array",
    itemType,
    value,
  }),
};

/** Number of bytes for `elementCount` elements of `type`, or `undefined` for an unknown type or a partial block. */
export function tensorByteLength(type: number, elementCount: number): number | undefined {
  const info = typeInfo.get(type);
  if (info === undefined || elementCount % info.blockSize !== 0) return undefined;
  return (elementCount / info.blockSize) * info.typeSize;
}
