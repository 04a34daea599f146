/** Notifications: the list, the unread count the bell shows, and marking them read. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap, type Schemas } from "@/api/problem";
import { cursorPaging, pageQuery } from "@/lib/paging";
import { networkApi } from "../api";

export type Notification = Schemas["Notification"];
export type NotificationKind = Schemas["NotificationKind"];

export const notificationKeys = {
  list: ["network", "notifications"] as const,
  unread: ["network", "notifications-unread"] as const,
};

/** How often the bell asks for the count while the page is open. */
export const UNREAD_POLL_MS = 60_000;

export function useNotifications() {
  return useInfiniteQuery({
    queryKey: notificationKeys.list,
    queryFn: ({ pageParam }) =>
      unwrap(networkApi.GET("/network/api/v1/notifications", { params: { query: pageQuery(pageParam, 30) } })),
    ...cursorPaging,
  });
}

export function useUnreadCount(enabled: boolean) {
  return useQuery({
    queryKey: notificationKeys.unread,
    queryFn: () => unwrap(networkApi.GET("/network/api/v1/notifications/unread-count")),
    select: (data) => data.unread_count,
    enabled,
    refetchInterval: enabled ? UNREAD_POLL_MS : false,
  });
}

/** Marks them all read; the answer is the new count, which the bell shows at once. */
export function useMarkNotificationsRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(networkApi.POST("/network/api/v1/notifications/read")),
    onSuccess: (count) => queryClient.setQueryData(notificationKeys.unread, count),
  });
}
