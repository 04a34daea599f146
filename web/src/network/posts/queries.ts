/** Posts, likes and comments: the queries and mutations of the post, compose, grid and hashtag pages. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import type { Schemas } from "@/api/problem";
import { unwrap } from "@/api/problem";
import { cursorPaging, pageQuery } from "@/lib/paging";
import { networkApi, networkKeys } from "../api";
import { storyKeys } from "../stories/queries";
import type { PostKind } from "./composeKinds";

export type Post = Schemas["Post"];
export type PostMedia = Schemas["PostMedia"];
export type CaptionEntity = Schemas["CaptionEntity"];
export type GridItem = Schemas["GridItem"];
export type Comment = Schemas["Comment"];
export type Hashtag = Schemas["Hashtag"];
export type UserTag = Schemas["UserTag"];
export type LikeStatus = Schemas["LikeStatus"];

type CommentPage = { items: Comment[]; next_cursor?: string | null };

/** Keys under "network", so signing in or out forgets them with the rest. */
export const postKeys = {
  post: (id: string) => ["network", "post", id] as const,
  comments: (postId: string) => ["network", "post", postId, "comments"] as const,
  replies: (commentId: string) => ["network", "comment", commentId, "replies"] as const,
  grid: (username: string) => ["network", "grid", username.toLowerCase()] as const,
  tagged: (username: string) => ["network", "tagged", username.toLowerCase()] as const,
  hashtag: (name: string) => ["network", "hashtag", name.toLowerCase()] as const,
  hashtagPosts: (name: string) => ["network", "hashtag", name.toLowerCase(), "posts"] as const,
  hashtagTop: (name: string) => ["network", "hashtag", name.toLowerCase(), "top"] as const,
};

/** The grids are small squares: a page of 30 fills ten rows of three. */
const GRID_PAGE = 30;
const COMMENT_PAGE = 20;

export function usePost(postId: string) {
  return useQuery({
    queryKey: postKeys.post(postId),
    queryFn: () => unwrap(networkApi.GET("/network/api/v1/posts/{post_id}", { params: { path: { post_id: postId } } })),
  });
}

export function usePersonGrid(username: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: postKeys.grid(username),
    queryFn: ({ pageParam }) =>
      unwrap(
        networkApi.GET("/network/api/v1/people/{username}/posts", {
          params: { path: { username }, query: pageQuery(pageParam, GRID_PAGE) },
        }),
      ),
    ...cursorPaging,
    enabled,
  });
}

/** The posts the person is tagged in: their profile's "Tagged" grid. */
export function usePersonTagged(username: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: postKeys.tagged(username),
    queryFn: ({ pageParam }) =>
      unwrap(
        networkApi.GET("/network/api/v1/people/{username}/tagged", {
          params: { path: { username }, query: pageQuery(pageParam, GRID_PAGE) },
        }),
      ),
    ...cursorPaging,
    enabled,
  });
}

export function useHashtag(name: string) {
  return useQuery({
    queryKey: postKeys.hashtag(name),
    queryFn: () => unwrap(networkApi.GET("/network/api/v1/hashtags/{name}", { params: { path: { name } } })),
  });
}

export function useHashtagGrid(name: string) {
  return useInfiniteQuery({
    queryKey: postKeys.hashtagPosts(name),
    queryFn: ({ pageParam }) =>
      unwrap(
        networkApi.GET("/network/api/v1/hashtags/{name}/posts", {
          params: { path: { name }, query: pageQuery(pageParam, GRID_PAGE) },
        }),
      ),
    ...cursorPaging,
  });
}

/** The hashtag's top posts: one ranked page (its cursor is always null). */
export function useHashtagTop(name: string) {
  return useInfiniteQuery({
    queryKey: postKeys.hashtagTop(name),
    queryFn: () => unwrap(networkApi.GET("/network/api/v1/hashtags/{name}/top", { params: { path: { name } } })),
    ...cursorPaging,
  });
}

/** Like or unlike a post; the answer's count replaces the post's. */
export function useLikePost(postId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (like: boolean) => {
      const options = { params: { path: { post_id: postId } } };
      return unwrap(
        like
          ? networkApi.POST("/network/api/v1/posts/{post_id}/like", options)
          : networkApi.DELETE("/network/api/v1/posts/{post_id}/like", options),
      );
    },
    onSuccess: (status) => {
      queryClient.setQueryData<Post>(postKeys.post(postId), (post) =>
        post ? { ...post, liked_by_viewer: status.liked, like_count: status.like_count } : post,
      );
    },
  });
}

export function useUpdatePost(postId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { caption?: string; location?: string | null }) =>
      unwrap(networkApi.PATCH("/network/api/v1/posts/{post_id}", { params: { path: { post_id: postId } }, body })),
    onSuccess: (post) => {
      queryClient.setQueryData(postKeys.post(postId), post);
      void queryClient.invalidateQueries({ queryKey: ["network", "hashtag"] });
    },
  });
}

export function useDeletePost(postId: string, username: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(networkApi.DELETE("/network/api/v1/posts/{post_id}", { params: { path: { post_id: postId } } })),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: postKeys.post(postId) });
      void queryClient.invalidateQueries({ queryKey: postKeys.grid(username) });
      void queryClient.invalidateQueries({ queryKey: networkKeys.profile(username) });
      void queryClient.invalidateQueries({ queryKey: networkKeys.me });
      void queryClient.invalidateQueries({ queryKey: ["network", "hashtag"] });
    },
  });
}

export interface NewPost {
  /** A post unless said otherwise. */
  kind?: PostKind;
  files: File[];
  altTexts: string[];
  caption: string;
  location: string;
  /** A reel's cover image; without one the server takes a frame of the video. */
  poster?: File | null;
  /** Usernames to tag: on an image at its centre, on a video without a point. */
  tagged?: string[];
}

export const MIN_FILES = 1;
export const MAX_FILES = 10;
export const MAX_CAPTION_LENGTH = 2200;
export const MAX_HASHTAGS = 30;
export const MAX_LOCATION_LENGTH = 100;
export const MAX_ALT_TEXT_LENGTH = 1000;

/**
 * The multipart body of `POST /posts`: the kind, files in order, one alt text per file, a reel's cover, the caption
 * and location.
 */
export function postFormData({
  kind = "feed",
  files,
  altTexts,
  caption,
  location,
  poster,
  tagged = [],
}: NewPost): FormData {
  const form = new FormData();
  form.append("kind", kind);
  files.forEach((file, index) => {
    form.append("files", file, file.name);
    form.append("alt_texts", altTexts[index] ?? "");
  });
  if (poster) form.append("poster", poster, poster.name);
  if (caption.trim()) form.append("caption", caption);
  if (location.trim()) form.append("location", location.trim());
  if (tagged.length > 0) form.append("user_tags", JSON.stringify(userTags(kind, files, tagged)));
  return form;
}

/** The tags of the first image or video: a video's have no point, an image's sit across its middle. */
function userTags(kind: PostKind, files: File[], usernames: string[]) {
  const onVideo = kind === "reel" || files[0]?.type.startsWith("video/");
  return usernames.map((username, index) =>
    onVideo ? { username } : { username, x: Number(((index + 1) / (usernames.length + 1)).toFixed(3)), y: 0.5 },
  );
}

export function useCreatePost(username: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (post: NewPost) =>
      unwrap(
        networkApi.POST("/network/api/v1/posts", {
          // The generated type says `files: string[]`; the body really is FormData, which openapi-fetch sends as
          // is (the browser sets the multipart boundary) once the serializer hands it over.
          body: { files: [], kind: post.kind ?? "feed" },
          bodySerializer: () => postFormData(post),
        }),
      ),
    onSuccess: (post) => {
      queryClient.setQueryData(postKeys.post(post.id), post);
      void queryClient.invalidateQueries({ queryKey: storyKeys.tray });
      void queryClient.invalidateQueries({ queryKey: storyKeys.person(username) });
      void queryClient.invalidateQueries({ queryKey: postKeys.grid(username) });
      void queryClient.invalidateQueries({ queryKey: networkKeys.profile(username) });
      void queryClient.invalidateQueries({ queryKey: networkKeys.me });
      void queryClient.invalidateQueries({ queryKey: ["network", "hashtag"] });
    },
  });
}

export function useComments(postId: string) {
  return useInfiniteQuery({
    queryKey: postKeys.comments(postId),
    queryFn: ({ pageParam }) =>
      unwrap(
        networkApi.GET("/network/api/v1/posts/{post_id}/comments", {
          params: { path: { post_id: postId }, query: pageQuery(pageParam, COMMENT_PAGE) },
        }),
      ),
    ...cursorPaging,
  });
}

export function useReplies(commentId: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: postKeys.replies(commentId),
    queryFn: ({ pageParam }) =>
      unwrap(
        networkApi.GET("/network/api/v1/comments/{comment_id}/replies", {
          params: { path: { comment_id: commentId }, query: pageQuery(pageParam, COMMENT_PAGE) },
        }),
      ),
    ...cursorPaging,
    enabled,
  });
}

/** After any change to a post's comments: its lists and its count. */
function refreshComments(queryClient: ReturnType<typeof useQueryClient>, postId: string) {
  void queryClient.invalidateQueries({ queryKey: postKeys.comments(postId) });
  void queryClient.invalidateQueries({ queryKey: ["network", "comment"] });
  void queryClient.invalidateQueries({ queryKey: postKeys.post(postId), exact: true });
}

export function useAddComment(postId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { text: string; reply_to?: string }) =>
      unwrap(
        networkApi.POST("/network/api/v1/posts/{post_id}/comments", { params: { path: { post_id: postId } }, body }),
      ),
    onSuccess: () => refreshComments(queryClient, postId),
  });
}

/** Replace a comment wherever it is cached (a top-level comment, a reply under it, or a replies list). */
function patchComment(comment: Comment, id: string, change: (comment: Comment) => Comment): Comment {
  if (comment.id === id) return change(comment);
  return { ...comment, replies: (comment.replies ?? []).map((reply) => patchComment(reply, id, change)) };
}

export function useCommentActions(postId: string) {
  const queryClient = useQueryClient();
  const patch = (id: string, change: (comment: Comment) => Comment) => {
    const update = (data: InfiniteData<CommentPage> | undefined) =>
      data && {
        ...data,
        pages: data.pages.map((page) => ({ ...page, items: page.items.map((item) => patchComment(item, id, change)) })),
      };
    queryClient.setQueriesData<InfiniteData<CommentPage>>({ queryKey: postKeys.comments(postId) }, update);
    queryClient.setQueriesData<InfiniteData<CommentPage>>({ queryKey: ["network", "comment"] }, update);
  };
  const options = (id: string) => ({ params: { path: { comment_id: id } } });

  const like = useMutation({
    mutationFn: ({ id, liked }: { id: string; liked: boolean }) =>
      unwrap(
        liked
          ? networkApi.POST("/network/api/v1/comments/{comment_id}/like", options(id))
          : networkApi.DELETE("/network/api/v1/comments/{comment_id}/like", options(id)),
      ),
    onSuccess: (status, { id }) =>
      patch(id, (comment) => ({ ...comment, liked_by_viewer: status.liked, like_count: status.like_count })),
  });
  const hide = useMutation({
    mutationFn: ({ id, hidden }: { id: string; hidden: boolean }) =>
      unwrap(
        hidden
          ? networkApi.POST("/network/api/v1/comments/{comment_id}/hide", options(id))
          : networkApi.POST("/network/api/v1/comments/{comment_id}/unhide", options(id)),
      ),
    onSuccess: (comment) => patch(comment.id, (old) => ({ ...old, hidden: comment.hidden })),
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(networkApi.DELETE("/network/api/v1/comments/{comment_id}", options(id))),
    onSuccess: () => refreshComments(queryClient, postId),
  });
  return { like, hide, remove };
}
