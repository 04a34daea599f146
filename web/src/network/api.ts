/**
 * The Sandbox network's API client: the same generated `paths` as the suite's client, but the network's own
 * session. Its cookies are `vfn_…` (the suite's `vf_…` never sign anyone in here, nor the other way round): the
 * access and refresh tokens are httpOnly, unsafe requests echo the readable `vfn_csrf` cookie in X-CSRF-Token,
 * and when the access token runs out one refresh (shared by every request that noticed) renews the pair and the
 * request is sent again.
 */
import { useQuery } from "@tanstack/react-query";
import { createSessionClient } from "@/api/client";
import { ApiError, unwrap, type Schemas } from "@/api/problem";

export type NetworkMe = Schemas["Me"];
export type Profile = Schemas["Profile"];
export type PersonSummary = Schemas["PersonSummary"];
export type AccountType = Schemas["AccountType"];
export type FollowState = Schemas["FollowStatus"]["state"];

const network = createSessionClient({
  csrfCookie: "vfn_csrf",
  refreshPath: "/network/api/v1/auth/refresh",
  finalPaths: ["/network/api/v1/auth/login", "/network/api/v1/auth/signup"],
});

export const networkApi = network.client;
export const hasNetworkSession = network.hasSession;
export const refreshNetworkSession = network.refresh;
export const onNetworkSignedOut = network.onSignedOut;

/** Every network query lives under "network", so signing in or out can forget them all at once. */
export const networkKeys = {
  all: ["network"] as const,
  me: ["network", "me"] as const,
  profile: (username: string) => ["network", "profile", username.toLowerCase()] as const,
  followers: (username: string) => ["network", "followers", username.toLowerCase()] as const,
  following: (username: string) => ["network", "following", username.toLowerCase()] as const,
  search: (prefix: string) => ["network", "search", prefix.toLowerCase()] as const,
  requests: ["network", "requests"] as const,
  /** How the viewer stands to a person, as last learnt (a profile, a follow): lists show it on their buttons. */
  relation: (username: string) => ["network", "relation", username.toLowerCase()] as const,
};

/** The signed-in network person; `null` when nobody is signed in to the network. */
export function useNetworkMe() {
  return useQuery({
    queryKey: networkKeys.me,
    queryFn: async (): Promise<NetworkMe | null> => {
      // Without the network's cookies nobody is signed in: no need to ask (and have the browser log a 401).
      if (!hasNetworkSession()) return null;
      try {
        return await unwrap(networkApi.GET("/network/api/v1/auth/me"));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/** The follow state a profile's flags describe. */
export function followStateOf(profile: Pick<Profile, "followed_by_viewer" | "requested_by_viewer">): FollowState {
  if (profile.followed_by_viewer) return "following";
  if (profile.requested_by_viewer) return "requested";
  return "none";
}
