import { useTranslation } from "react-i18next";
import { Button } from "@/components/ui/Button";

/** Fetches the next page of a cursor-paged list (`useInfiniteQuery`); shown only while there is one. */
export function LoadMoreButton({
  query,
}: {
  query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> };
}) {
  const { t } = useTranslation();
  if (!query.hasNextPage) return null;
  return (
    <div className="mt-4 flex justify-center">
      <Button
        variant="secondary"
        size="sm"
        loading={query.isFetchingNextPage}
        onClick={() => void query.fetchNextPage()}
      >
        {t("loadMore")}
      </Button>
    </div>
  );
}
