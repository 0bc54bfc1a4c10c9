import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { EducatorPage } from "./educator.js";
import { FeedbackPage } from "./feedback-view.js";
import { HistoryPage } from "./history.js";
import { PickerPage } from "./picker.js";
import { RoomPage } from "./room.js";
import { SettingsPage } from "./settings.js";
import { t } from "./strings.js";

/** Hash routes: #/ picker, #/session/<id>, #/feedback/<id>, #/history, #/educator, #/settings. */
function useRoute(): string[] {
  const read = () => (location.hash.replace(/^#\/?/, "") || "").split("/").filter(Boolean);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

export function navigate(path: string): void {
  location.hash = `#/${path}`;
}

function App() {
  const route = useRoute();
  const [page, id] = route;
  // Move focus to the new page's heading so keyboard and screen-reader users land on it.
  useEffect(() => {
    document.querySelector<HTMLElement>("main h1")?.focus();
  }, [page, id]);
  let content;
  if (!page) content = <PickerPage />;
  else if (page === "session" && id) content = <RoomPage sessionId={id} />;
  else if (page === "feedback" && id) content = <FeedbackPage sessionId={id} />;
  else if (page === "history") content = <HistoryPage />;
  else if (page === "educator") content = <EducatorPage tab={id ?? "cases"} />;
  else if (page === "settings") content = <SettingsPage />;
  else content = <h1 tabIndex={-1}>{t.notFound}</h1>;
  const current = page ?? "";
  const link = (target: string, label: string) => (
    <a href={`#/${target}`} aria-current={current === target ? "page" : undefined}>
      {label}
    </a>
  );
  return (
    <>
      <a
        class="skip"
        href="#main"
        onClick={(event) => (event.preventDefault(), document.getElementById("main")?.focus())}
      >
        {t.skipToContent}
      </a>
      <header class="top">
        <span class="brand">{t.appName}</span>
        <nav aria-label="Main">
          {link("", t.nav.practice)}
          {link("history", t.nav.history)}
          {link("educator", t.nav.educator)}
          {link("settings", t.nav.settings)}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {content}
      </main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
