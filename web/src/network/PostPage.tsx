/**
 * `/network/p/:postId`: one post as Instagram shows it: the author, the images (a carousel for several), the
 * heart and its count, the caption with its hashtags and mentions as links, who is tagged, the location, and the
 * comments.
 */
import { MapPin, MessageCircle } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ApiError } from "@/api/problem";
import { Avatar } from "@/components/Avatar";
import { ErrorState, Skeleton } from "@/components/ui/States";
import { useDateFormat } from "@/lib/dates";
import { useNetworkMe, type NetworkMe } from "./api";
import { Caption } from "./posts/Caption";
import { Comments } from "./posts/Comments";
import { LikeButton, LikeCount } from "./posts/LikeButton";
import { MediaCarousel } from "./posts/MediaCarousel";
import { PostMenu } from "./posts/PostMenu";
import { useLikePost, usePost, type Post } from "./posts/queries";
import { TaggedPeople } from "./posts/TaggedPeople";

export default function PostPage() {
  const { postId = "" } = useParams();
  const me = useNetworkMe();
  const post = usePost(postId);
  const { t } = useTranslation("network");

  if (post.isPending || me.isPending) return <PostSkeleton />;
  if (post.isError) {
    if (post.error instanceof ApiError && post.error.status === 404) {
      return (
        <div className="py-12 text-center">
          <h1 className="text-xl font-semibold">{t("post.notFound")}</h1>
          <p className="mt-2 text-sm text-zinc-500 dark:text-zinc-400">{t("post.notFoundDescription")}</p>
          <Link to="/network" className="mt-4 inline-block text-sm font-semibold text-brand-600 dark:text-brand-500">
            {t("notFound.back")}
          </Link>
        </div>
      );
    }
    return <ErrorState error={post.error} onRetry={() => void post.refetch()} />;
  }
  return <PostView post={post.data} me={me.data ?? null} />;
}

function PostView({ post, me }: { post: Post; me: NetworkMe | null }) {
  const { t } = useTranslation("network");
  const { dateTime } = useDateFormat();
  const like = useLikePost(post.id);
  const author = post.author.username;
  const isAuthor = me?.id === post.author.id;

  return (
    <article className="-mx-4 space-y-3 sm:mx-0">
      <header className="flex items-center gap-3 px-4 sm:px-0">
        <Avatar name={post.author.name} url={post.author.avatar_url} />
        <div className="min-w-0 flex-1">
          <h1 className="truncate text-sm font-semibold">
            <Link to={`/network/${author}`} className="hover:underline">
              {author}
            </Link>
            <span className="sr-only"> {t("post.titleSuffix")}</span>
          </h1>
          {post.location && (
            <p className="flex items-center gap-1 truncate text-xs text-zinc-500 dark:text-zinc-400">
              <MapPin aria-hidden className="h-3 w-3 shrink-0" />
              <span className="sr-only">{t("compose.location")}: </span>
              {post.location}
            </p>
          )}
        </div>
        {isAuthor && <PostMenu post={post} />}
      </header>
      <MediaCarousel media={post.media} />
      <div className="space-y-2 px-4 sm:px-0">
        <div className="flex items-center gap-2">
          {me ? (
            <LikeButton
              liked={post.liked_by_viewer ?? false}
              label={t("post.like")}
              busy={like.isPending}
              onToggle={(liked) => like.mutateAsync(liked)}
            />
          ) : (
            <Link
              to={`/network/signin?next=${encodeURIComponent(`/network/p/${post.id}`)}`}
              className="text-sm font-semibold text-brand-600 dark:text-brand-500"
            >
              {t("post.signInToLike")}
            </Link>
          )}
          <span className="flex items-center gap-1 text-sm text-zinc-500 dark:text-zinc-400">
            <MessageCircle aria-hidden className="h-5 w-5" />
            {t("comments.count", { count: post.comment_count })}
          </span>
        </div>
        <LikeCount count={post.like_count} />
        {post.caption && (
          <p className="whitespace-pre-line break-words text-sm">
            <Link to={`/network/${author}`} className="mr-1 font-semibold hover:underline">
              {author}
            </Link>
            <Caption text={post.caption} entities={post.caption_entities} />
          </p>
        )}
        <TaggedPeople tags={post.user_tags} />
        <p className="text-xs uppercase text-zinc-500 dark:text-zinc-400">
          <time dateTime={post.created_at}>{dateTime(post.created_at)}</time>
          {post.edited_at && <span> · {t("post.edited")}</span>}
        </p>
        <Comments post={post} me={me} />
      </div>
    </article>
  );
}

function PostSkeleton() {
  const { t } = useTranslation();
  return (
    <div role="status" aria-label={t("loading")} className="space-y-3">
      <div className="flex items-center gap-3">
        <Skeleton className="h-8 w-8 rounded-full" />
        <Skeleton className="h-4 w-32" />
      </div>
      <Skeleton className="aspect-square w-full" />
      <Skeleton className="h-4 w-24" />
      <Skeleton className="h-4 w-full" />
    </div>
  );
}
