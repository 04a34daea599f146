import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { ErrorState, ListSkeleton } from "@/components/ui/States";
import { useNetworkMe, type NetworkMe } from "../api";

/** Renders its children for the signed-in network person; without one, the sign-in page (and back here). */
export function RequireNetworkSession({ children }: { children: (me: NetworkMe) => ReactNode }) {
  const me = useNetworkMe();
  const location = useLocation();
  if (me.isPending) return <ListSkeleton rows={4} />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/network/signin?next=${next}`} replace />;
  }
  return children(me.data);
}
