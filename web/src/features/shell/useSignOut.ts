import { useMutation } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { api } from "@/api/client";
import { showError } from "@/api/errors";
import { ApiError, unwrap } from "@/api/problem";
import { useResetSession } from "@/app/session";

/** Ends this session (or, `everywhere`, every session of the account) and goes to the sign-in page. */
export function useSignOut() {
  const navigate = useNavigate();
  const resetSession = useResetSession();
  return useMutation({
    mutationFn: async (everywhere: boolean) => {
      try {
        await unwrap(everywhere ? api.POST("/api/v1/auth/logout-all") : api.POST("/api/v1/auth/logout"));
      } catch (error) {
        // A 401 means the session had already ended (expired, revoked elsewhere): the person is out either way.
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      }
    },
    onSuccess: async () => {
      // Leave the signed-in pages first: clearing the cache while they are shown would make the session guard
      // send the person to /signin?next=<this page>, as if the session had expired.
      await navigate("/signin", { replace: true });
      resetSession();
    },
    onError: (error) => showError(error),
  });
}
