/**
 * Stories: the tray above the home feed (the viewer and the people they follow who have stories now), one
 * person's unexpired stories for the viewer, and marking a story seen (which turns that person's ring grey once
 * all of theirs are seen).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap, type Schemas } from "@/api/problem";
import { networkApi } from "../api";

export type StoryTrayItem = Schemas["StoryTrayItem"];
export type Story = Schemas["Story"];

type StoryList = { items: Story[] };
type Tray = { items: StoryTrayItem[] };

/** Under "network", so signing in or out forgets them with the rest. */
export const storyKeys = {
  tray: ["network", "storyTray"] as const,
  person: (username: string) => ["network", "stories", username.toLowerCase()] as const,
  all: ["network", "stories"] as const,
};

/** Stories expire within a day and friends add new ones: the tray is asked again after a minute. */
const TRAY_STALE_MS = 60_000;

export function useStoryTray() {
  return useQuery({
    queryKey: storyKeys.tray,
    queryFn: () => unwrap(networkApi.GET("/network/api/v1/stories")),
    staleTime: TRAY_STALE_MS,
  });
}

export function usePersonStories(username: string, enabled = true) {
  return useQuery({
    queryKey: storyKeys.person(username),
    queryFn: () =>
      unwrap(networkApi.GET("/network/api/v1/people/{username}/stories", { params: { path: { username } } })),
    enabled,
  });
}

/** Whether the viewer has seen every story in the list (a person with none has nothing unseen). */
export function allSeen(stories: Story[]): boolean {
  return stories.every((story) => story.seen);
}

/**
 * Tells the server the viewer saw a story, then marks it seen in the person's list and, when it was their last
 * unseen one, in the tray too.
 */
export function useMarkStorySeen(username: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (storyId: string) =>
      unwrap(networkApi.POST("/network/api/v1/stories/{story_id}/seen", { params: { path: { story_id: storyId } } })),
    onSuccess: (_, storyId) => {
      const list = queryClient.setQueryData<StoryList>(
        storyKeys.person(username),
        (data) =>
          data && {
            ...data,
            items: data.items.map((story) => (story.id === storyId ? { ...story, seen: true } : story)),
          },
      );
      if (!list || !allSeen(list.items)) return;
      queryClient.setQueryData<Tray>(
        storyKeys.tray,
        (tray) =>
          tray && {
            ...tray,
            items: tray.items.map((item) =>
              item.person.username.toLowerCase() === username.toLowerCase() ? { ...item, seen: true } : item,
            ),
          },
      );
    },
  });
}
