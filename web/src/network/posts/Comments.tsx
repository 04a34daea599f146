/**
 * A post's comments, oldest first, with one level of replies (a reply to a reply joins the top-level comment,
 * as the server does). Each comment has a heart and, for who may, a "…" menu: the post's owner hides, unhides
 * or deletes any comment; a comment's author deletes their own.
 */
import { MoreHorizontal, X } from "lucide-react";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { toast } from "sonner";
import { showError } from "@/api/errors";
import { Avatar } from "@/components/Avatar";
import { LoadMoreButton } from "@/components/LoadMoreButton";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/Dialog";
import { Menu, MenuItem } from "@/components/ui/Menu";
import { ErrorState, ListSkeleton } from "@/components/ui/States";
import { useDateFormat } from "@/lib/dates";
import type { NetworkMe } from "../api";
import { LikeButton } from "./LikeButton";
import {
  MAX_CAPTION_LENGTH,
  useAddComment,
  useCommentActions,
  useComments,
  useReplies,
  type Comment,
  type Post,
} from "./queries";

interface ReplyTarget {
  id: string;
  username: string;
}

interface Context {
  post: Post;
  me: NetworkMe | null;
  onReply: (target: ReplyTarget) => void;
}

export function Comments({ post, me }: { post: Post; me: NetworkMe | null }) {
  const { t } = useTranslation("network");
  const comments = useComments(post.id);
  const [replyTo, setReplyTo] = useState<ReplyTarget | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState("");

  const onReply = (target: ReplyTarget) => {
    setReplyTo(target);
    setText(`@${target.username} `);
    input.current?.focus();
  };
  const context: Context = { post, me, onReply };
  const items = comments.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section aria-labelledby="comments-heading" className="space-y-3">
      <h2 id="comments-heading" className="sr-only">
        {t("comments.title")}
      </h2>
      {comments.isPending ? (
        <ListSkeleton rows={2} />
      ) : comments.isError ? (
        <ErrorState error={comments.error} onRetry={() => void comments.refetch()} />
      ) : items.length === 0 ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">{t("comments.empty")}</p>
      ) : (
        <>
          <ul className="space-y-4">
            {items.map((comment) => (
              <li key={comment.id}>
                <CommentThread comment={comment} context={context} />
              </li>
            ))}
          </ul>
          <LoadMoreButton query={comments} />
        </>
      )}
      {me ? (
        <CommentForm
          postId={post.id}
          inputRef={input}
          text={text}
          setText={setText}
          replyTo={replyTo}
          onCancelReply={() => {
            setReplyTo(null);
            setText("");
          }}
        />
      ) : (
        <p className="text-sm">
          <Link
            to={`/network/signin?next=${encodeURIComponent(`/network/p/${post.id}`)}`}
            className="font-semibold text-brand-600 dark:text-brand-500"
          >
            {t("comments.signIn")}
          </Link>
        </p>
      )}
    </section>
  );
}

function CommentThread({ comment, context }: { comment: Comment; context: Context }) {
  const { t } = useTranslation("network");
  const [expanded, setExpanded] = useState(false);
  const replies = useReplies(comment.id, expanded);
  const shown = comment.replies ?? [];
  const all = expanded ? (replies.data?.pages.flatMap((page) => page.items) ?? shown) : shown;
  const more = comment.reply_count > shown.length && !expanded;

  return (
    <div>
      <CommentRow comment={comment} context={context} parentId={comment.id} />
      {(all.length > 0 || more) && (
        <div className="ml-10 mt-3 space-y-3">
          {all.length > 0 && (
            <ul className="space-y-3" aria-label={t("comments.replies")}>
              {all.map((reply) => (
                <li key={reply.id}>
                  <CommentRow comment={reply} context={context} parentId={comment.id} />
                </li>
              ))}
            </ul>
          )}
          {more && (
            <button
              type="button"
              onClick={() => setExpanded(true)}
              className="text-xs font-semibold text-zinc-500 hover:underline dark:text-zinc-400"
            >
              {t("comments.viewReplies", { count: comment.reply_count })}
            </button>
          )}
          {expanded && <LoadMoreButton query={replies} />}
        </div>
      )}
    </div>
  );
}

function CommentRow({ comment, context, parentId }: { comment: Comment; context: Context; parentId: string }) {
  const { t } = useTranslation("network");
  const { dateTime } = useDateFormat();
  const { like } = useCommentActions(context.post.id);
  const author = comment.author.username;
  return (
    <div className="flex gap-3">
      <Avatar name={comment.author.name} url={comment.author.avatar_url} />
      <div className="min-w-0 flex-1 text-sm">
        {comment.hidden && (
          <p className="text-xs font-medium text-amber-700 dark:text-amber-400">{t("comments.hiddenNote")}</p>
        )}
        <p className="whitespace-pre-line break-words">
          <Link to={`/network/${author}`} className="mr-1 font-semibold hover:underline">
            {author}
          </Link>
          {comment.text}
        </p>
        <div className="mt-1 flex items-center gap-3 text-xs text-zinc-500 dark:text-zinc-400">
          <time dateTime={comment.created_at}>{dateTime(comment.created_at)}</time>
          {comment.like_count > 0 && <span>{t("comments.likes", { count: comment.like_count })}</span>}
          {context.me && (
            <button
              type="button"
              className="font-semibold hover:underline"
              aria-label={t("comments.replyTo", { username: author })}
              onClick={() => context.onReply({ id: parentId, username: author })}
            >
              {t("comments.reply")}
            </button>
          )}
          <CommentMenu comment={comment} context={context} />
        </div>
      </div>
      {context.me && (
        <LikeButton
          small
          liked={comment.liked_by_viewer}
          label={t("comments.like", { username: author })}
          busy={like.isPending}
          onToggle={(liked) => like.mutateAsync({ id: comment.id, liked })}
        />
      )}
    </div>
  );
}

function CommentMenu({ comment, context }: { comment: Comment; context: Context }) {
  const { t } = useTranslation("network");
  const { hide, remove } = useCommentActions(context.post.id);
  const [confirming, setConfirming] = useState(false);
  const me = context.me;
  if (!me) return null;
  const ownsPost = me.id === context.post.author.id;
  const wroteIt = me.id === comment.author.id;
  if (!ownsPost && !wroteIt) return null;

  const toggleHidden = () =>
    hide.mutate(
      { id: comment.id, hidden: !comment.hidden },
      {
        onSuccess: () => toast.success(t(comment.hidden ? "comments.unhidden" : "comments.hidden")),
        onError: (error) => showError(error),
      },
    );
  return (
    <>
      <Menu
        label={t("comments.options")}
        trigger={
          <button type="button" aria-label={t("comments.options")} className="rounded p-0.5 hover:text-zinc-900">
            <MoreHorizontal aria-hidden className="h-4 w-4" />
          </button>
        }
      >
        {ownsPost && (
          <MenuItem onSelect={toggleHidden}>{t(comment.hidden ? "comments.unhide" : "comments.hide")}</MenuItem>
        )}
        <MenuItem danger onSelect={() => setConfirming(true)}>
          {t("comments.delete")}
        </MenuItem>
      </Menu>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={t("comments.deleteTitle")}
        description={t("comments.deleteDescription")}
        confirmLabel={t("comments.delete")}
        busy={remove.isPending}
        onConfirm={() =>
          remove.mutate(comment.id, {
            onSuccess: () => {
              setConfirming(false);
              toast.success(t("comments.deleted"));
            },
            onError: (error) => showError(error),
          })
        }
      />
    </>
  );
}

function CommentForm({
  postId,
  inputRef,
  text,
  setText,
  replyTo,
  onCancelReply,
}: {
  postId: string;
  inputRef: React.RefObject<HTMLTextAreaElement | null>;
  text: string;
  setText: (text: string) => void;
  replyTo: ReplyTarget | null;
  onCancelReply: () => void;
}) {
  const { t } = useTranslation("network");
  const add = useAddComment(postId);
  const trimmed = text.trim();

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!trimmed) return;
    add.mutate(replyTo ? { text: trimmed, reply_to: replyTo.id } : { text: trimmed }, {
      onSuccess: () => {
        toast.success(t(replyTo ? "comments.replied" : "comments.posted"));
        onCancelReply();
      },
      onError: (failure) => showError(failure),
    });
  };

  return (
    <form onSubmit={submit} className="space-y-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
      {replyTo && (
        <p className="flex items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
          {t("comments.replyingTo", { username: replyTo.username })}
          <button
            type="button"
            onClick={onCancelReply}
            aria-label={t("comments.cancelReply")}
            className="rounded p-0.5 hover:bg-zinc-100 dark:hover:bg-zinc-800"
          >
            <X aria-hidden className="h-3.5 w-3.5" />
          </button>
        </p>
      )}
      <div className="flex items-end gap-2">
        <label htmlFor="comment-text" className="sr-only">
          {t("comments.add")}
        </label>
        <textarea
          id="comment-text"
          ref={inputRef}
          rows={1}
          value={text}
          maxLength={MAX_CAPTION_LENGTH}
          onChange={(event) => setText(event.target.value)}
          placeholder={t("comments.placeholder")}
          className="block min-h-10 w-full resize-y rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm text-zinc-900 placeholder:text-zinc-400 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
        />
        <Button type="submit" size="sm" variant="ghost" disabled={!trimmed} loading={add.isPending}>
          {t("comments.post")}
        </Button>
      </div>
    </form>
  );
}
