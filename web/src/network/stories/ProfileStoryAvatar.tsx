/**
 * A profile's picture: with a ring, and a link to the story viewer, while the person has stories the viewer may
 * watch; the plain picture otherwise (and while that is being asked).
 */
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";
import { Avatar } from "@/components/Avatar";
import type { Profile } from "../api";
import { allSeen, usePersonStories } from "./queries";
import { StoryRing } from "./StoryRing";

export function ProfileStoryAvatar({ profile, enabled }: { profile: Profile; enabled: boolean }) {
  const { t } = useTranslation("stories");
  const location = useLocation();
  const stories = usePersonStories(profile.username, enabled);
  const avatar = <Avatar name={profile.name} url={profile.avatar_url} size="lg" />;
  const items = enabled ? (stories.data?.items ?? []) : [];
  if (items.length === 0) return avatar;
  return (
    <Link
      to={`/network/stories/${profile.username}`}
      state={{ from: location.pathname + location.search }}
      aria-label={t("profile.viewStories", { username: profile.username })}
      className="shrink-0 rounded-full"
    >
      <StoryRing seen={allSeen(items)}>{avatar}</StoryRing>
    </Link>
  );
}
