import type { Command } from "commander";
import { computePerplexity, readChatJsonl } from "../../eval/index.js";
import { parseInteger, printJson, printTable } from "../output.js";

/** `medsim eval …`: measurements of a model (+ adapter) by llama.cpp, independent of the trainer. */
export function registerEvalCommands(program: Command): void {
  const group = program.command("eval").description("evaluate a model (and LoRA adapter) with llama.cpp");

  group
    .command("perplexity")
    .description("perplexity on the assistant (patient) tokens of chat JSONL conversations, computed by llama.cpp")
    .requiredOption("--model <gguf>", "base model GGUF")
    .option("--adapter <gguf>", "LoRA adapter GGUF applied by llama.cpp")
    .requiredOption("--data <file>", 'chat JSONL: {"messages":[{"role","content"}],"meta":{}} per line')
    .option(
      "--max-tokens <n>",
      "cut longer conversations (default: the model's context)",
      parseInteger("--max-tokens", 2),
    )
    .option("--per-conversation", "with --json: include each conversation's NLL and token count")
    .option("--json", "print the result as JSON")
    .action(
      async (flags: {
        model: string;
        adapter?: string;
        data: string;
        maxTokens?: number;
        perConversation?: boolean;
        json?: boolean;
      }) => {
        const records = await readChatJsonl(flags.data);
        const result = await computePerplexity({
          model: flags.model,
          conversations: records,
          ...(flags.adapter === undefined ? {} : { adapters: [flags.adapter] }),
          ...(flags.maxTokens === undefined ? {} : { maxTokens: flags.maxTokens }),
        });
        const { perConversation, ...summary } = result;
        const report = {
          model: flags.model,
          adapter: flags.adapter ?? null,
          data: flags.data,
          ...summary,
          ...(flags.perConversation ? { perConversation } : {}),
        };
        if (flags.json) return printJson(report);
        printTable([
          ["perplexity", result.perplexity.toFixed(4)],
          ["mean NLL", `${result.meanNll.toFixed(5)} nats/token`],
          ["scored tokens", `${result.tokens} assistant tokens in ${result.conversations} conversations`],
          ...(result.truncatedConversations > 0
            ? [["truncated", `${result.truncatedConversations} conversations cut at the context length`]]
            : []),
        ]);
      },
    );
}
