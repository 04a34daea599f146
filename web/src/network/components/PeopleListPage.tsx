/** A person's followers or following, 50 at a time, with a follow button on each row. */
import { useInfiniteQuery } from "@tanstack/react-query";
import { ArrowLeft } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ApiError, unwrap } from "@/api/problem";
import { LoadMoreButton } from "@/components/LoadMoreButton";
import { EmptyState, ErrorState, ListSkeleton } from "@/components/ui/States";
import { cursorPaging, pageQuery } from "@/lib/paging";
import { networkApi, networkKeys, useNetworkMe, type FollowState, type PersonSummary } from "../api";
import { useRelation } from "../queries";
import { FollowButton } from "./FollowButton";
import { PeopleList, PersonRow } from "./PersonRow";
import { PersonNotFound, PrivateAccountNotice } from "./States";

type Kind = "followers" | "following";

function usePeople(kind: Kind, username: string) {
  return useInfiniteQuery({
    queryKey: kind === "followers" ? networkKeys.followers(username) : networkKeys.following(username),
    queryFn: ({ pageParam }) => {
      const options = { params: { path: { username }, query: pageQuery(pageParam) } };
      return unwrap(
        kind === "followers"
          ? networkApi.GET("/network/api/v1/people/{username}/followers", options)
          : networkApi.GET("/network/api/v1/people/{username}/following", options),
      );
    },
    ...cursorPaging,
  });
}

export function PeopleListPage({ kind }: { kind: Kind }) {
  const { t } = useTranslation("network");
  const { username = "" } = useParams();
  const me = useNetworkMe();
  const people = usePeople(kind, username);
  const ownFollowing = kind === "following" && me.data?.username.toLowerCase() === username.toLowerCase();

  if (people.isError && people.error instanceof ApiError && people.error.status === 404) return <PersonNotFound />;

  const items = people.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section>
      <header className="mb-4 flex items-center gap-2">
        <Link
          to={`/network/${username}`}
          aria-label={t("lists.back", { username })}
          className="rounded-md p-1 hover:bg-zinc-100 dark:hover:bg-zinc-800"
        >
          <ArrowLeft aria-hidden className="h-5 w-5" />
        </Link>
        <div className="min-w-0">
          <h1 className="text-lg font-semibold">{t(`lists.${kind}`)}</h1>
          <p className="truncate text-sm text-zinc-500 dark:text-zinc-400">{username}</p>
        </div>
      </header>
      {people.isPending ? (
        <ListSkeleton rows={5} />
      ) : people.isError ? (
        people.error instanceof ApiError && people.error.status === 403 ? (
          <PrivateAccountNotice />
        ) : (
          <ErrorState error={people.error} onRetry={() => void people.refetch()} />
        )
      ) : items.length === 0 ? (
        <EmptyState title={t(`lists.${kind}Empty`)} />
      ) : (
        <>
          <PeopleList>
            {items.map((person) => (
              <PersonRow
                key={person.id}
                person={person}
                action={
                  person.id === me.data?.id ? null : (
                    <RowFollowButton person={person} fallback={ownFollowing ? "following" : undefined} />
                  )
                }
              />
            ))}
          </PeopleList>
          <LoadMoreButton query={people} />
        </>
      )}
    </section>
  );
}

/** Lists do not carry the viewer's follow state: the button shows what this browser learnt last. */
function RowFollowButton({ person, fallback }: { person: PersonSummary; fallback: FollowState | undefined }) {
  const relation = useRelation(person.username);
  return <FollowButton username={person.username} state={relation ?? fallback} />;
}
