/** `/network/requests`: who asks to follow this (private) account; Accept or Decline each. */
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { showError } from "@/api/errors";
import { unwrap, type Schemas } from "@/api/problem";
import { LoadMoreButton } from "@/components/LoadMoreButton";
import { Button } from "@/components/ui/Button";
import { PageHeader } from "@/components/ui/Card";
import { EmptyState, ErrorState, ListSkeleton } from "@/components/ui/States";
import { cursorPaging, pageQuery } from "@/lib/paging";
import { networkApi, networkKeys, type NetworkMe } from "./api";
import { PeopleList, PersonRow } from "./components/PersonRow";
import { RequireNetworkSession } from "./components/RequireNetworkSession";

type FollowRequest = Schemas["FollowRequest"];

export default function FollowRequestsPage() {
  return <RequireNetworkSession>{(me) => <FollowRequests me={me} />}</RequireNetworkSession>;
}

function FollowRequests({ me }: { me: NetworkMe }) {
  const { t } = useTranslation("network");
  const requests = useInfiniteQuery({
    queryKey: networkKeys.requests,
    queryFn: ({ pageParam }) =>
      unwrap(networkApi.GET("/network/api/v1/me/follow-requests", { params: { query: pageQuery(pageParam) } })),
    ...cursorPaging,
  });
  const items = requests.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader title={t("requests.title")} description={t("requests.description")} />
      {requests.isPending ? (
        <ListSkeleton rows={4} />
      ) : requests.isError ? (
        <ErrorState error={requests.error} onRetry={() => void requests.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={t("requests.empty")}>
          {me.is_private ? t("requests.emptyPrivate") : t("requests.emptyPublic")}
        </EmptyState>
      ) : (
        <>
          <PeopleList>
            {items.map((request) => (
              <PersonRow key={request.id} person={request.person} action={<Answer request={request} />} />
            ))}
          </PeopleList>
          <LoadMoreButton query={requests} />
        </>
      )}
    </>
  );
}

function Answer({ request }: { request: FollowRequest }) {
  const { t } = useTranslation("network");
  const queryClient = useQueryClient();
  const username = request.person.username;
  const answer = useMutation({
    mutationFn: (accept: boolean) => {
      const options = { params: { path: { request_id: request.id } } };
      return unwrap(
        accept
          ? networkApi.POST("/network/api/v1/me/follow-requests/{request_id}/accept", options)
          : networkApi.POST("/network/api/v1/me/follow-requests/{request_id}/decline", options),
      );
    },
    onSuccess: (_, accept) => {
      toast.success(t(accept ? "requests.accepted" : "requests.declined", { username }));
      void queryClient.invalidateQueries({ queryKey: networkKeys.requests });
      // An accepted request adds a follower.
      void queryClient.invalidateQueries({ queryKey: networkKeys.me });
      void queryClient.invalidateQueries({ queryKey: ["network", "followers"] });
    },
    onError: (error) => showError(error),
  });
  const busy = answer.isPending ? answer.variables : undefined;
  return (
    <div className="flex shrink-0 gap-2">
      <Button
        size="sm"
        loading={busy === true}
        disabled={answer.isPending}
        aria-label={t("requests.acceptLabel", { username })}
        onClick={() => answer.mutate(true)}
      >
        {t("requests.accept")}
      </Button>
      <Button
        size="sm"
        variant="secondary"
        loading={busy === false}
        disabled={answer.isPending}
        aria-label={t("requests.declineLabel", { username })}
        onClick={() => answer.mutate(false)}
      >
        {t("requests.decline")}
      </Button>
    </div>
  );
}
