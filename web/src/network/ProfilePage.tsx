/**
 * `/network/:username`: a person's profile as Instagram shows it: picture, counts, name, bio, website, and the
 * one action (Follow / Requested / Following, with Message beside it when signed in, or Edit profile for oneself).
 * A private account shows its lists and its grid of posts to its followers only.
 */
import { Camera, Grid3x3, Link as LinkIcon, SquareUserRound } from "lucide-react";
import { useId, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { toast } from "sonner";
import { showError } from "@/api/errors";
import { ApiError } from "@/api/problem";
import { Button } from "@/components/ui/Button";
import { ErrorState, Skeleton } from "@/components/ui/States";
import { followStateOf, networkApi, useNetworkMe, type Profile } from "./api";
import { AccountTypeBadge } from "./components/AccountTypeBadge";
import { FollowButton } from "./components/FollowButton";
import { OwnProfileMenu, PersonMenu } from "./components/ProfileMenu";
import { PersonNotFound, PrivateAccountNotice } from "./components/States";
import { MessageButton } from "./messages/MessageButton";
import { PostGrid } from "./posts/PostGrid";
import { usePersonGrid, usePersonTagged } from "./posts/queries";
import { useBlock, useProfile } from "./queries";
import { ProfileStoryAvatar } from "./stories/ProfileStoryAvatar";

/** Whether the viewer may see the person's lists (and, later, posts). */
export function canSeeContent(profile: Profile, isSelf: boolean): boolean {
  return isSelf || !profile.is_private || Boolean(profile.followed_by_viewer);
}

export default function ProfilePage() {
  const { username = "" } = useParams();
  const me = useNetworkMe();
  const profile = useProfile(username);

  // Signed in or not changes what the server tells (the follow flags): wait for both.
  if (profile.isPending || me.isPending) return <ProfileSkeleton />;
  if (profile.isError) {
    if (profile.error instanceof ApiError && profile.error.status === 404) return <PersonNotFound />;
    return <ErrorState error={profile.error} onRetry={() => void profile.refetch()} />;
  }
  const isSelf = me.data?.id === profile.data.id;
  return <ProfileView profile={profile.data} isSelf={isSelf} signedIn={Boolean(me.data)} />;
}

function ProfileView({ profile, isSelf, signedIn }: { profile: Profile; isSelf: boolean; signedIn: boolean }) {
  const { t } = useTranslation("network");
  const visible = canSeeContent(profile, isSelf);
  const base = `/network/${profile.username}`;

  return (
    <article>
      <header className="space-y-4">
        <div className="flex items-center gap-2">
          <h1 className="min-w-0 flex-1 truncate text-xl font-semibold">{profile.username}</h1>
          {isSelf && <OwnProfileMenu />}
          {!isSelf && signedIn && <PersonMenu profile={profile} />}
        </div>
        <div className="flex items-center gap-4 sm:gap-8">
          <ProfileStoryAvatar profile={profile} enabled={signedIn && visible && !profile.blocked_by_viewer} />
          <ul className="flex flex-1 justify-around text-center text-sm" aria-label={t("profile.counts")}>
            <Count value={profile.posts_count} label={t("profile.posts", { count: profile.posts_count })} />
            <Count
              value={profile.followers_count}
              label={t("profile.followers", { count: profile.followers_count })}
              to={visible ? `${base}/followers` : undefined}
            />
            <Count
              value={profile.following_count}
              label={t("profile.following", { count: profile.following_count })}
              to={visible ? `${base}/following` : undefined}
            />
          </ul>
        </div>
        <div className="space-y-1 text-sm">
          <p className="flex flex-wrap items-center gap-2 font-semibold">
            {profile.name}
            <AccountTypeBadge type={profile.account_type} />
          </p>
          {profile.bio && <p className="whitespace-pre-line break-words">{profile.bio}</p>}
          {profile.website && (
            <a
              href={profile.website}
              rel="nofollow noopener"
              target="_blank"
              onClick={() => countLinkTap(profile.username)}
              className="inline-flex max-w-full items-center gap-1 rounded-sm font-semibold text-blue-900 hover:underline dark:text-blue-300"
            >
              <LinkIcon aria-hidden className="h-3.5 w-3.5 shrink-0" />
              <span className="truncate">{displayUrl(profile.website)}</span>
            </a>
          )}
        </div>
        <ProfileActions profile={profile} isSelf={isSelf} signedIn={signedIn} />
      </header>
      <div className="mt-6">
        {visible && !profile.blocked_by_viewer ? (
          <ProfileGrid username={profile.username} isSelf={isSelf} />
        ) : (
          !profile.blocked_by_viewer && <PrivateAccountNotice />
        )}
      </div>
    </article>
  );
}

function ProfileActions({ profile, isSelf, signedIn }: { profile: Profile; isSelf: boolean; signedIn: boolean }) {
  const { t } = useTranslation("network");
  const block = useBlock(profile.username);
  if (isSelf) {
    return (
      <Link
        to="/network/settings/profile"
        className="flex h-8 w-full items-center justify-center rounded-md bg-zinc-100 text-sm font-semibold hover:bg-zinc-200 dark:bg-zinc-800 dark:hover:bg-zinc-700"
      >
        {t("profile.edit")}
      </Link>
    );
  }
  if (profile.blocked_by_viewer) {
    return (
      <div className="space-y-2">
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          {t("block.youBlocked", { username: profile.username })}
        </p>
        <Button
          variant="secondary"
          size="sm"
          className="w-full justify-center"
          loading={block.isPending}
          onClick={() =>
            block.mutate(false, {
              onSuccess: () => toast.success(t("block.unblocked", { username: profile.username })),
              onError: (error) => showError(error),
            })
          }
        >
          {t("block.unblock")}
        </Button>
      </div>
    );
  }
  if (!signedIn) {
    return (
      <FollowButton username={profile.username} state={followStateOf(profile)} className="w-full justify-center" />
    );
  }
  return (
    <div className="flex gap-2">
      <FollowButton username={profile.username} state={followStateOf(profile)} className="flex-1 justify-center" />
      <MessageButton username={profile.username} className="flex-1 justify-center" />
    </div>
  );
}

function Count({ value, label, to }: { value: number; label: string; to?: string | undefined }) {
  const content: ReactNode = (
    <>
      <span className="block font-semibold">{value.toLocaleString()}</span>{" "}
      <span className="text-zinc-500 dark:text-zinc-400">{label}</span>
    </>
  );
  return (
    <li>
      {to ? (
        <Link to={to} className="block rounded-md px-2 py-1 hover:bg-zinc-50 dark:hover:bg-zinc-900">
          {content}
        </Link>
      ) : (
        <span className="block px-2 py-1">{content}</span>
      )}
    </li>
  );
}

type GridTab = "posts" | "tagged";

/** The person's posts, or the posts they are tagged in: two tabs over one grid. */
function ProfileGrid({ username, isSelf }: { username: string; isSelf: boolean }) {
  const { t } = useTranslation("network");
  const [tab, setTab] = useState<GridTab>("posts");
  const panelId = useId();
  const grid = usePersonGrid(username, tab === "posts");
  const tagged = usePersonTagged(username, tab === "tagged");
  const tabs: { id: GridTab; label: string; icon: typeof Grid3x3 }[] = [
    { id: "posts", label: t("profile.postsTab"), icon: Grid3x3 },
    { id: "tagged", label: t("post.taggedTab"), icon: SquareUserRound },
  ];
  return (
    <div className="border-t border-zinc-200 dark:border-zinc-800">
      <div role="tablist" aria-label={t("profile.gridTabs")} className="flex justify-center gap-10">
        {tabs.map(({ id, label, icon: Icon }) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            aria-controls={panelId}
            onClick={() => setTab(id)}
            className="-mt-px flex items-center gap-1.5 border-t py-3 text-xs font-semibold uppercase tracking-wide text-zinc-500 aria-selected:border-zinc-900 aria-selected:text-zinc-900 dark:text-zinc-400 dark:aria-selected:border-zinc-100 dark:aria-selected:text-zinc-100 border-transparent"
          >
            <Icon aria-hidden className="h-4 w-4" />
            {label}
          </button>
        ))}
      </div>
      <div id={panelId} role="tabpanel" aria-label={tabs.find((item) => item.id === tab)?.label}>
        {tab === "posts" ? (
          <PostGrid query={grid} empty={<NoPostsYet isSelf={isSelf} />} />
        ) : (
          <PostGrid
            query={tagged}
            empty={
              <p className="py-12 text-center text-sm text-zinc-500 dark:text-zinc-400">
                {t("post.taggedEmpty", { username })}
              </p>
            }
          />
        )}
      </div>
    </div>
  );
}

function NoPostsYet({ isSelf }: { isSelf: boolean }) {
  const { t } = useTranslation("network");
  return (
    <div className="flex flex-col items-center gap-2 border-t border-zinc-200 py-12 text-center dark:border-zinc-800">
      <span className="rounded-full border-2 border-zinc-900 p-3 dark:border-zinc-100">
        <Camera aria-hidden className="h-6 w-6" />
      </span>
      <p className="font-semibold">{t("profile.noPosts")}</p>
      {isSelf && (
        <>
          <p className="text-sm text-zinc-500 dark:text-zinc-400">{t("profile.noPostsSelf")}</p>
          <Link to="/network/new" className="text-sm font-semibold text-brand-600 hover:underline dark:text-brand-500">
            {t("compose.shareFirst")}
          </Link>
        </>
      )}
    </div>
  );
}

/** "https://www.example.com/" → "www.example.com": the link shows where it goes without the noise. */
/** Counts the tap in the account's insights (`profile_links_taps`); the link opens whatever the answer. */
function countLinkTap(username: string) {
  networkApi.POST("/network/api/v1/people/{username}/link-tap", { params: { path: { username } } }).catch(() => {});
}

function displayUrl(url: string): string {
  return url.replace(/^https?:\/\//, "").replace(/\/$/, "");
}

function ProfileSkeleton() {
  const { t } = useTranslation();
  return (
    <div role="status" aria-label={t("loading")} className="space-y-4">
      <Skeleton className="h-7 w-40" />
      <div className="flex items-center gap-6">
        <Skeleton className="h-16 w-16 rounded-full" />
        <Skeleton className="h-10 flex-1" />
      </div>
      <Skeleton className="h-4 w-48" />
      <Skeleton className="h-4 w-64" />
      <Skeleton className="h-8 w-full" />
    </div>
  );
}
