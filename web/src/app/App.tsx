import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { RouterProvider } from "react-router";
import { Toaster } from "sonner";
import { onSignedOut } from "@/api/client";
import { ApiError } from "@/api/problem";
import { applyTheme, usePreferences } from "@/lib/preferences";
import { createRouter } from "./router";
import { forgetPerson } from "./session";

function newQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx will answer the same again; network blips and 5xx get one more try.
        retry: (failures, error) =>
          failures < 1 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        refetchOnWindowFocus: false,
      },
    },
  });
}

function useThemeClass() {
  const theme = usePreferences((state) => state.theme);
  useEffect(() => {
    applyTheme(theme);
    if (theme !== "system") return;
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    const follow = () => applyTheme("system");
    media.addEventListener("change", follow);
    return () => media.removeEventListener("change", follow);
  }, [theme]);
  return theme;
}

export function App() {
  const [queryClient] = useState(newQueryClient);
  const [router] = useState(createRouter);
  const theme = useThemeClass();

  // When the session ends (expired, revoked elsewhere), nothing of the person stays cached for whoever signs
  // in next, and the guards send the page to the sign-in page.
  useEffect(() => onSignedOut(() => forgetPerson(queryClient)), [queryClient]);

  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
      <Toaster theme={theme} position="top-center" richColors closeButton />
    </QueryClientProvider>
  );
}
