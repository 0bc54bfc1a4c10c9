/**
 * Full fine-tuning output: the base GGUF with every trained tensor replaced (metadata, tokenizer
 * and chat template copied). A trained tensor keeps its base type when that type can be written
 * (F32, F16, Q8_0, Q4/Q5), else it is written as F16.
 */
import { GgmlType, GgufFile, QUANTIZABLE_TYPES, quantize, writeGguf, type GgufTensorToWrite } from "../gguf/index.js";
import type { TrainableParam } from "./model.js";

/** Writes `out` = `basePath` with the values of `params` (matched by GGUF tensor name). */
export async function writeTrainedModel(
  basePath: string,
  params: readonly TrainableParam[],
  out: string,
): Promise<number> {
  const byName = new Map(params.map((p) => [p.name, p.value]));
  const base = GgufFile.open(basePath);
  try {
    const tensors: GgufTensorToWrite[] = base.tensors.map((info) => {
      const values = byName.get(info.name);
      if (values === undefined)
        return { name: info.name, shape: info.shape, type: info.type, data: () => base.readTensorBytes(info.name) };
      const type = QUANTIZABLE_TYPES.includes(info.type) ? info.type : GgmlType.F16;
      return { name: info.name, shape: info.shape, type, data: () => quantize(type, values) };
    });
    return await writeGguf(out, { metadata: new Map(base.metadata), tensors });
  } finally {
    base.close();
  }
}
