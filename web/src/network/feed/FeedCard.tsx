/** One post of the home feed: author, images, heart, caption, the first comments and a link to them all. */
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Avatar } from "@/components/Avatar";
import { Skeleton } from "@/components/ui/States";
import { Caption } from "../posts/Caption";
import { LikeButton, LikeCount } from "../posts/LikeButton";
import { MediaCarousel } from "../posts/MediaCarousel";
import { useLikePost } from "../posts/queries";
import { TaggedPeople } from "../posts/TaggedPeople";
import { useTimeAgo } from "../timeAgo";
import { patchFeedLike, type FeedItem } from "./queries";

export function FeedCard({ item }: { item: FeedItem }) {
  const { t } = useTranslation("network");
  const timeAgo = useTimeAgo();
  const queryClient = useQueryClient();
  const like = useLikePost(item.id);
  const author = item.author.username;
  const postLink = `/network/p/${item.id}`;

  return (
    <article
      aria-label={t("feed.postBy", { username: author })}
      className="-mx-4 space-y-3 border-b border-zinc-200 pb-4 sm:mx-0 dark:border-zinc-800"
    >
      <header className="flex items-center gap-3 px-4 sm:px-0">
        <Avatar name={item.author.name} url={item.author.avatar_url} />
        <div className="min-w-0 flex-1">
          <Link to={`/network/${author}`} className="truncate text-sm font-semibold hover:underline">
            {author}
          </Link>
          {item.location && <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">{item.location}</p>}
        </div>
      </header>
      <MediaCarousel media={item.media} reel={item.kind === "reel"} />
      <div className="space-y-1.5 px-4 sm:px-0">
        <LikeButton
          liked={item.liked_by_viewer ?? false}
          label={t("post.like")}
          busy={like.isPending}
          onToggle={(liked) => like.mutateAsync(liked).then((status) => patchFeedLike(queryClient, item.id, status))}
        />
        <LikeCount count={item.like_count} />
        {item.caption && (
          <p className="whitespace-pre-line break-words text-sm">
            <Link to={`/network/${author}`} className="mr-1 font-semibold hover:underline">
              {author}
            </Link>
            <Caption text={item.caption} entities={item.caption_entities} />
          </p>
        )}
        <TaggedPeople tags={item.user_tags} />
        {item.comment_count > 0 && (
          <Link to={postLink} className="block text-sm text-zinc-500 hover:underline dark:text-zinc-400">
            {t("feed.viewAllComments", { count: item.comment_count })}
          </Link>
        )}
        {item.first_comments.length > 0 && (
          <ul className="space-y-0.5">
            {item.first_comments.map((comment) => (
              <li key={comment.id} className="break-words text-sm">
                <Link to={`/network/${comment.author.username}`} className="mr-1 font-semibold hover:underline">
                  {comment.author.username}
                </Link>
                {comment.text}
              </li>
            ))}
          </ul>
        )}
        <Link to={postLink} className="block text-xs uppercase text-zinc-500 hover:underline dark:text-zinc-400">
          <time dateTime={item.created_at}>{timeAgo(item.created_at)}</time>
        </Link>
      </div>
    </article>
  );
}

export function FeedSkeleton() {
  const { t } = useTranslation();
  return (
    <div role="status" aria-label={t("loading")} className="space-y-8">
      {[0, 1].map((index) => (
        <div key={index} className="space-y-3">
          <div className="flex items-center gap-3">
            <Skeleton className="h-8 w-8 rounded-full" />
            <Skeleton className="h-4 w-32" />
          </div>
          <Skeleton className="aspect-square w-full" />
          <Skeleton className="h-4 w-24" />
          <Skeleton className="h-4 w-full" />
        </div>
      ))}
    </div>
  );
}
