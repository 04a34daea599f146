import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import { unwrap, type Schemas } from "@/api/problem";
import { queryKeys } from "@/app/session";

/**
 * Signs in (the server sets the session cookies) and reloads who is signed in, so the guards of the page we go
 * to next see the new session at once.
 */
export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (credentials: Schemas["Credentials"]) => {
      await unwrap(api.POST("/api/v1/auth/login", { body: credentials }));
      // Workspaces cached before belonged to nobody or to someone else: the new person's are fetched afresh.
      queryClient.removeQueries({ queryKey: queryKeys.workspaces });
      await queryClient.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}
