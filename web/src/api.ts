/** The HTTP API as the practice room uses it: fetch only, the API key from Settings as a bearer token. */

const KEY_STORAGE = "medsim.apiKey";
const FACTS_STORAGE = "medsim.showFacts";

export const settings = {
  get apiKey(): string {
    return localStorage.getItem(KEY_STORAGE) ?? "";
  },
  set apiKey(value: string) {
    if (value) localStorage.setItem(KEY_STORAGE, value);
    else localStorage.removeItem(KEY_STORAGE);
  },
  get showFacts(): boolean {
    return localStorage.getItem(FACTS_STORAGE) === "1";
  },
  set showFacts(value: boolean) {
    localStorage.setItem(FACTS_STORAGE, value ? "1" : "0");
  },
};

/** An error the server reported: its message, status, code and the field it names. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly param: string | null,
  ) {
    super(message);
  }
}

function headers(json: boolean): Record<string, string> {
  const result: Record<string, string> = {};
  if (json) result["Content-Type"] = "application/json";
  if (settings.apiKey) result.Authorization = `Bearer ${settings.apiKey}`;
  return result;
}

async function fail(response: Response): Promise<never> {
  let body: { error?: { message?: string; code?: string; param?: string | null } } = {};
  try {
    body = await response.json();
  } catch {
    // not JSON: keep the status text
  }
  throw new ApiError(
    body.error?.message ?? `${response.status} ${response.statusText}`,
    response.status,
    body.error?.code ?? "error",
    body.error?.param ?? null,
  );
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: headers(body !== undefined),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) await fail(response);
  return (await response.json()) as T;
}

/** Fetches a binary or text resource with the key (a plain link cannot send it). */
export async function fetchBlob(path: string): Promise<Blob> {
  const response = await fetch(path, { headers: headers(false) });
  if (!response.ok) await fail(response);
  return response.blob();
}

/**
 * Hands the server what the student has typed of the next question so far, so that a language
 * model can evaluate it before the question is sent (the reply then starts sooner). Never answered
 * and never awaited: a draft that fails (network, rate limit) only loses that head start.
 */
export function sendDraft(sessionId: string, text: string): void {
  void fetch(`/v1/sessions/${encodeURIComponent(sessionId)}/draft`, {
    method: "POST",
    headers: headers(true),
    body: JSON.stringify({ text }),
  }).catch(() => {});
}

/**
 * Sends a message and reads the reply as server-sent events: `onSentence` gets each sentence as
 * the patient says it; the promise resolves with the finished turn.
 */
export async function sendStreaming(
  sessionId: string,
  content: string,
  onSentence: (text: string) => void,
): Promise<TurnResult> {
  const response = await fetch(`/v1/sessions/${encodeURIComponent(sessionId)}/messages`, {
    method: "POST",
    headers: { ...headers(true), Accept: "text/event-stream" },
    body: JSON.stringify({ content, stream: true }),
  });
  if (!response.ok || !response.body) await fail(response);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let boundary: number;
    while ((boundary = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary).replace(/^\r?\n\r?\n/, "");
      const event = /^event: ?(.*)$/m.exec(block)?.[1]?.trim() ?? "message";
      const data = block
        .split(/\r?\n/)
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).replace(/^ /, ""))
        .join("\n");
      if (!data) continue;
      const parsed = JSON.parse(data);
      if (event === "sentence") onSentence(parsed.text);
      else if (event === "reply") return parsed as TurnResult;
      else if (event === "error")
        throw new ApiError(parsed.error?.message ?? "error", 500, parsed.error?.code ?? "error", null);
    }
  }
  throw new ApiError("the reply stream ended early", 502, "stream_ended", null);
}

// ---- shapes --------------------------------------------------------------------------------

export interface CaseCard {
  id: string;
  title: string;
  setting?: string;
  chiefComplaint: string;
  patient: { name: string; age: number; sex: string; language: string };
  examination: string[];
  source: "built-in" | "user";
}
export interface PersonaCard {
  id: string;
  name: string;
  description: string;
}
export interface PracticeCatalog {
  cases: CaseCard[];
  personas: PersonaCard[];
  languages: string[];
}
export interface SessionSummary {
  id: string;
  status: "active" | "ended";
  case: { id: string; title?: string; setting?: string; chiefComplaint: string; patient: { name: string } };
  persona: { id: string; name: string };
  language?: { requested: string; answered: string; note?: string };
  createdAt: string;
  endedAt: string | null;
}
export interface Entry {
  seq: number;
  kind: "doctor" | "patient" | "examination" | "test";
  content: string;
  label: string | null;
}
export interface SessionDetail extends SessionSummary {
  entries: Entry[];
  disclosedFacts: { id: string; topic: string; text: string }[];
  feedback?: Feedback;
}
export interface TurnResult {
  sessionId: string;
  turn: number;
  reply: string;
  newlyDisclosedFacts: { id: string; topic: string; text: string }[];
}
export interface FindingResult {
  entry: number;
  name: string;
  result: string | null;
}
export interface Evidence {
  turn: number;
  quote: string;
}
export interface FeedbackItem {
  id: string;
  category: "history" | "communication";
  met: boolean;
  applicable: boolean;
  status: "met" | "missed" | "not_applicable";
  evidence: Evidence[];
  note: string;
}
export interface Feedback {
  caseId: string;
  mode: "deterministic" | "judge";
  judge?: string;
  items: FeedbackItem[];
  impression: { verdict: string; stated?: string; evidence: Evidence[]; diagnosis: string; note: string };
  totals: Record<"history" | "communication", { met: number; applicable: number; total: number }>;
  tips: string[];
  labels?: Record<string, string>;
}
