import ts from "typescript";
const entries = ["src/index.ts","src/gguf/index.ts","src/model/index.ts","src/train/index.ts","src/adapters/index.ts","src/eval/index.ts","src/synth/index.ts","src/datasets/index.ts","src/knowledge/index.ts","src/client/index.ts"];
const program = ts.createProgram(entries, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true });
const checker = program.getTypeChecker();
let total = 0;
for (const entry of entries) {
  const sf = program.getSourceFile(entry)!;
  const mod = checker.getSymbolAtLocation(sf)!;
  const missing: string[] = [];
  for (const exp of checker.getExportsOfModule(mod)) {
    let sym = exp;
    if (sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
    const doc = ts.displayPartsToString(sym.getDocumentationComment(checker)).trim();
    if (!doc) missing.push(`${exp.name}@${sym.declarations?.[0]?.getSourceFile().fileName.replace(/^.*\/src\//, "")}`);
  }
  total += missing.length;
  console.log(entry, missing.length, missing.join(" "));
}
console.log("total", total);
