/** Posts and comments for tests. */
import { me, profile } from "../testData";
import type { Comment, Post } from "./queries";

const grace = profile();
export const author = {
  id: grace.id,
  username: grace.username,
  name: grace.name,
  avatar_url: null,
  account_type: grace.account_type,
  is_private: false,
};
export const meSummary = { ...author, id: me.id, username: me.username, name: me.name };

export function post(overrides: Partial<Post> = {}): Post {
  return {
    id: "500",
    author,
    media: [
      {
        id: "1",
        position: 0,
        url: "/m/1.jpg",
        thumbnail_url: "/t/1.jpg",
        width: 1080,
        height: 1080,
        alt_text: "A harbour",
        media_type: "image",
        video_url: null,
        duration_ms: null,
      },
    ],
    caption: "Sunset #sea with @ada",
    caption_entities: [
      { kind: "hashtag", start: 7, end: 11, value: "sea" },
      { kind: "mention", start: 17, end: 21, value: "ada" },
    ],
    location: "Genoa",
    like_count: 4,
    comment_count: 1,
    liked_by_viewer: false,
    created_at: "2026-11-20T10:00:00Z",
    edited_at: null,
    kind: "feed",
    expires_at: null,
    user_tags: [],
    ...overrides,
  };
}

export function comment(overrides: Partial<Comment> = {}): Comment {
  return {
    id: "700",
    post_id: "500",
    parent_id: null,
    author: meSummary,
    text: "Lovely",
    like_count: 0,
    reply_count: 0,
    liked_by_viewer: false,
    hidden: false,
    created_at: "2026-11-20T11:00:00Z",
    replies: [],
    ...overrides,
  };
}
