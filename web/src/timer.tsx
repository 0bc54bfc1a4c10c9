import { useEffect, useState } from "preact/hooks";
import { t } from "./strings.js";

/** The OSCE station timer: counts down, announces the last minute and the end (it never ends the session itself). */
export function Timer({ sessionId }: { sessionId: string }) {
  const stored = sessionStorage.getItem(`medsim.timer.${sessionId}`);
  const timer = stored ? (JSON.parse(stored) as { minutes: number; startedAt: number }) : undefined;
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!timer) return;
    const handle = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(handle);
  }, [stored]);
  if (!timer) return null;
  const left = Math.max(0, Math.round((timer.startedAt + timer.minutes * 60_000 - now) / 1000));
  const text = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  const state = left === 0 ? "over" : left <= 60 ? "warning" : "";
  return (
    <div class={`timer ${state}`}>
      <span role="timer" aria-label={t.room.timeLeft(text)}>
        {text}
      </span>
      <span class="sr-only" aria-live="assertive">
        {left === 0 ? t.room.timeUp : left <= 60 ? t.room.oneMinute : ""}
      </span>
      {state ? <span class="timer-note">{left === 0 ? t.room.timeUp : t.room.oneMinute}</span> : null}
    </div>
  );
}
