/** The network's queries and mutations shared by its pages. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { unwrap } from "@/api/problem";
import { followStateOf, networkApi, networkKeys, type FollowState, type NetworkMe, type Profile } from "./api";

export function useProfile(username: string) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: networkKeys.profile(username),
    queryFn: async () => {
      const profile = await unwrap(
        networkApi.GET("/network/api/v1/people/{username}", { params: { path: { username } } }),
      );
      // Lists of people carry no follow state: they show what the profile told last.
      queryClient.setQueryData(networkKeys.relation(profile.username), followStateOf(profile));
      return profile;
    },
  });
}

/** What the viewer last learnt about following a person (undefined when unknown). */
export function useRelation(username: string) {
  return useQuery<FollowState>({
    queryKey: networkKeys.relation(username),
    // Never fetched: the cache is filled by profiles and follows.
    queryFn: () => Promise.resolve("none"),
    enabled: false,
  }).data;
}

/** Follow (or ask to), unfollow or withdraw a request; the answer's state updates every view of the person. */
export function useFollow(username: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (follow: boolean) => {
      const options = { params: { path: { username } } };
      return unwrap(
        follow
          ? networkApi.POST("/network/api/v1/people/{username}/follow", options)
          : networkApi.DELETE("/network/api/v1/people/{username}/follow", options),
      );
    },
    onSuccess: (status) => {
      queryClient.setQueryData(networkKeys.relation(username), status.state);
      queryClient.setQueryData<Profile>(networkKeys.profile(username), (profile) =>
        profile
          ? {
              ...profile,
              followed_by_viewer: status.state === "following",
              requested_by_viewer: status.state === "requested",
              followers_count: status.followers_count,
            }
          : profile,
      );
      // The viewer's own following count and lists changed too.
      void queryClient.invalidateQueries({ queryKey: networkKeys.me });
      void queryClient.invalidateQueries({ queryKey: networkKeys.followers(username) });
      void queryClient.invalidateQueries({ queryKey: ["network", "following"] });
    },
  });
}

export function useBlock(username: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (block: boolean) => {
      const options = { params: { path: { username } } };
      return unwrap(
        block
          ? networkApi.POST("/network/api/v1/people/{username}/block", options)
          : networkApi.DELETE("/network/api/v1/people/{username}/block", options),
      );
    },
    onSuccess: async () => {
      // Blocking ends follows both ways: everything about the two people may have changed.
      queryClient.setQueryData(networkKeys.relation(username), "none");
      await queryClient.invalidateQueries({ queryKey: networkKeys.all });
    },
  });
}

/** Sign in (the server sets the network cookies), then load who is signed in. */
export function useNetworkSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (credentials: { login: string; password: string }): Promise<NetworkMe | null> => {
      await unwrap(networkApi.POST("/network/api/v1/auth/login", { body: credentials }));
      // Whatever was cached belonged to nobody or to someone else.
      queryClient.removeQueries({ queryKey: networkKeys.all });
      return queryClient.fetchQuery({
        queryKey: networkKeys.me,
        queryFn: () => unwrap(networkApi.GET("/network/api/v1/auth/me")),
      });
    },
  });
}

export function useNetworkSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(networkApi.POST("/network/api/v1/auth/logout")),
    onSettled: () => {
      queryClient.removeQueries({ queryKey: networkKeys.all });
      queryClient.setQueryData(networkKeys.me, null);
    },
  });
}

/** The value, once it stopped changing for `delay` ms (searching as one types, without a request per key). */
export function useDebounced<T>(value: T, delay = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

/** The username's beginning as the server searches it ("@Ada" → "ada"); empty when there is nothing to ask. */
export function searchPrefix(term: string): string {
  return term.trim().replace(/^@/, "").slice(0, 31);
}

/** People whose username starts with the term (debounced). */
export function usePeopleSearch(term: string) {
  const prefix = searchPrefix(useDebounced(term));
  const query = useQuery({
    queryKey: networkKeys.search(prefix),
    queryFn: async () =>
      (await unwrap(networkApi.GET("/network/api/v1/people", { params: { query: { prefix } } }))).items,
    enabled: prefix.length > 0,
    staleTime: 30_000,
  });
  return { ...query, prefix, typing: searchPrefix(term) !== prefix };
}
