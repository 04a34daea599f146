/**
 * `/network/stories/:username`: a person's stories, full screen over the network's pages. When their last story
 * ends the viewer moves on to the next person of the tray (replacing this address, so that closing goes back to
 * the page the viewer was opened from); closing with the button or Escape goes back there too.
 */
import { Loader2, X } from "lucide-react";
import { useEffect, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useLocation, useNavigate, useParams } from "react-router";
import { ApiError } from "@/api/problem";
import { ErrorState } from "@/components/ui/States";
import type { NetworkMe } from "./api";
import { RequireNetworkSession } from "./components/RequireNetworkSession";
import { usePersonStories, useStoryTray } from "./stories/queries";
import { StoryPlayer } from "./stories/StoryViewer";

/** What the pages that open the viewer put in the location's state: the address to close back to. */
export interface StoryViewerState {
  from?: string;
}

export default function StoryViewerPage() {
  const { username = "" } = useParams();
  return (
    <RequireNetworkSession>
      {(me) => <PersonStories key={username.toLowerCase()} username={username} me={me} />}
    </RequireNetworkSession>
  );
}

function PersonStories({ username, me }: { username: string; me: NetworkMe }) {
  const { t } = useTranslation("stories");
  const navigate = useNavigate();
  const location = useLocation();
  const state = (location.state ?? {}) as StoryViewerState;
  const stories = usePersonStories(username);
  const tray = useStoryTray();

  // Opened from a page of the app, that page is the entry before this one (people after the first replace it).
  const close = () => (state.from ? navigate(-1) : navigate(`/network/${username}`, { replace: true }));
  const people = tray.data?.items ?? [];
  const at = people.findIndex((item) => item.person.username.toLowerCase() === username.toLowerCase());
  const nextPerson = at >= 0 ? people[at + 1]?.person.username : undefined;
  const onEnd = () =>
    nextPerson ? navigate(`/network/stories/${nextPerson}`, { replace: true, state: location.state }) : close();

  const items = stories.data?.items ?? [];
  let content: ReactNode;
  if (stories.isPending) {
    content = <Loader2 role="status" aria-label={t("common:loading")} className="m-auto h-8 w-8 animate-spin" />;
  } else if (stories.isError && !isNotFound(stories.error)) {
    content = (
      <div className="m-auto w-full p-4">
        <ErrorState error={stories.error} onRetry={() => void stories.refetch()} />
      </div>
    );
  } else if (items.length === 0) {
    content = <p className="m-auto px-6 text-center">{t("viewer.empty", { username })}</p>;
  } else {
    content = (
      <StoryPlayer
        username={username}
        stories={items}
        own={me.username.toLowerCase() === username.toLowerCase()}
        onEnd={onEnd}
        onClose={close}
      />
    );
  }
  const playing = items.length > 0;

  return (
    <ViewerFrame label={t("viewer.label", { username })} onClose={playing ? undefined : close}>
      {content}
    </ViewerFrame>
  );
}

/** Someone unknown, or whose stories the viewer may not see: nothing to show, as for no stories. */
function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/**
 * The full-screen dialog: black over everything on a phone, a tall 9:16 frame in the middle of a wider screen.
 * Without a player (loading, nothing to show) it has its own close button and Escape.
 */
function ViewerFrame({
  label,
  onClose,
  children,
}: {
  label: string;
  onClose?: (() => void) | undefined;
  children: ReactNode;
}) {
  const { t } = useTranslation("stories");
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    dialog.current?.focus();
  }, []);

  useEffect(() => {
    if (!onClose) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onClose();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [onClose]);

  // Tab goes round the dialog's own controls, never to the page under it.
  const trapFocus = (event: React.KeyboardEvent) => {
    if (event.key !== "Tab" || !dialog.current) return;
    const controls = Array.from(dialog.current.querySelectorAll<HTMLElement>("a[href], button:not([disabled])"));
    const first = controls[0];
    const last = controls[controls.length - 1];
    if (!first || !last) return;
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === dialog.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div
      ref={dialog}
      role="dialog"
      aria-modal="true"
      aria-label={label}
      tabIndex={-1}
      onKeyDown={trapFocus}
      className="fixed inset-0 z-50 flex items-center justify-center bg-black text-white outline-none"
    >
      <div className="relative flex h-full w-full flex-col sm:aspect-[9/16] sm:h-[min(100vh,860px)] sm:w-auto sm:overflow-hidden sm:rounded-lg">
        {children}
        {onClose && (
          <button
            type="button"
            aria-label={t("viewer.close")}
            className="absolute right-3 top-3 rounded-full p-1.5 hover:bg-white/20 focus-visible:ring-2 focus-visible:ring-white"
            onClick={onClose}
          >
            <X aria-hidden className="h-6 w-6" />
          </button>
        )}
      </div>
    </div>
  );
}
