/**
 * The browser's speech recognition (Chromium's on-device recognition where installed, Chrome's
 * service otherwise), when the browser offers it. The room always keeps the text box.
 */
interface RecognitionResultEvent {
  results: ArrayLike<ArrayLike<{ transcript: string }> & { isFinal: boolean }>;
}
interface Recognition {
  lang: string;
  interimResults: boolean;
  continuous: boolean;
  processLocally?: boolean;
  onresult: ((event: RecognitionResultEvent) => void) | null;
  onerror: ((event: { error: string }) => void) | null;
  onend: (() => void) | null;
  start(): void;
  stop(): void;
}
type RecognitionConstructor = new () => Recognition;

function recognitionClass(): RecognitionConstructor | undefined {
  const scope = globalThis as unknown as {
    SpeechRecognition?: RecognitionConstructor;
    webkitSpeechRecognition?: RecognitionConstructor;
  };
  return scope.SpeechRecognition ?? scope.webkitSpeechRecognition;
}

/** Whether this browser has speech recognition at all. */
export function speechInputSupported(): boolean {
  return recognitionClass() !== undefined;
}

/**
 * Listens once: `onText` gets the words as they are recognised (interim, then final); `onEnd`
 * is called when recognition stops, with the reason if it failed.
 */
export function listen(
  language: string,
  onText: (text: string, final: boolean) => void,
  onEnd: (error?: string) => void,
): () => void {
  const Constructor = recognitionClass();
  if (!Constructor) {
    onEnd("not-supported");
    return () => {};
  }
  const recognition = new Constructor();
  recognition.lang = language === "hi" ? "hi-IN" : "en-IN";
  recognition.interimResults = true;
  recognition.continuous = false;
  // Prefer on-device recognition where the browser supports choosing it.
  if ("processLocally" in recognition) recognition.processLocally = true;
  let failed: string | undefined;
  recognition.onresult = (event) => {
    const results = Array.from(event.results);
    // Chrome starts each result after the first with a space: joined with one, the words would be
    // two spaces apart (and each such draft would differ from the typed question it matches).
    const text = results
      .map((result) => result[0]?.transcript ?? "")
      .join(" ")
      .replace(/\s+/g, " ")
      .trim();
    onText(
      text,
      results.every((result) => result.isFinal),
    );
  };
  recognition.onerror = (event) => {
    failed = event.error;
  };
  recognition.onend = () => onEnd(failed);
  try {
    recognition.start();
  } catch (error) {
    onEnd(error instanceof Error ? error.message : String(error));
  }
  return () => recognition.stop();
}
