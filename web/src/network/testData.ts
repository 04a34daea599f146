/** Answers of the network API for tests. */
import type { NetworkMe, Profile } from "./api";

export const NETWORK_COOKIE = "vfn_csrf=network-csrf; path=/";

export function signInToNetwork() {
  document.cookie = NETWORK_COOKIE;
}

export function signOutOfNetwork() {
  document.cookie = "vfn_csrf=; max-age=0; path=/";
}

export const me: NetworkMe = {
  id: "100",
  username: "ada",
  name: "Ada Lovelace",
  email: "ada@example.com",
  avatar_url: null,
  account_type: "personal",
  is_private: false,
  bio: "",
  website: null,
  followers_count: 3,
  following_count: 5,
  posts_count: 0,
  followed_by_viewer: false,
  requested_by_viewer: false,
  blocked_by_viewer: false,
  created_at: "2026-01-01T00:00:00Z",
};

export function profile(overrides: Partial<Profile> = {}): Profile {
  return {
    id: "200",
    username: "grace",
    name: "Grace Hopper",
    avatar_url: null,
    account_type: "creator",
    is_private: false,
    bio: "Compilers.",
    website: "https://grace.example/",
    followers_count: 10,
    following_count: 2,
    posts_count: 0,
    followed_by_viewer: false,
    requested_by_viewer: false,
    blocked_by_viewer: false,
    ...overrides,
  };
}

export const unauthorized = { type: "unauthorized", title: "Sign-in required", status: 401 };
