/** `/network/search?q=`: people by the beginning of their username, as one types; explore before one does. */
import { Search } from "lucide-react";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { EmptyState, ErrorState, ListSkeleton } from "@/components/ui/States";
import { PeopleList, PersonRow } from "./components/PersonRow";
import { ExploreSection } from "./explore/ExploreSection";
import { searchPrefix, usePeopleSearch } from "./queries";

export default function SearchPage() {
  const { t } = useTranslation("network");
  const id = useId();
  const [params, setParams] = useSearchParams();
  const [term, setTerm] = useState(params.get("q") ?? "");
  const search = usePeopleSearch(term);
  const prefix = searchPrefix(term);

  const onChange = (value: string) => {
    setTerm(value);
    // Kept in the address, so the back button returns to the same results.
    setParams(value ? { q: value } : {}, { replace: true });
  };

  return (
    <section>
      <h1 className="mb-4 text-xl font-semibold">{t("search.title")}</h1>
      <form role="search" onSubmit={(event) => event.preventDefault()} className="relative">
        <label htmlFor={id} className="sr-only">
          {t("search.label")}
        </label>
        <Search aria-hidden className="pointer-events-none absolute left-3 top-3 h-4 w-4 text-zinc-400" />
        <input
          id={id}
          type="search"
          autoFocus
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          placeholder={t("search.placeholder")}
          value={term}
          onChange={(event) => onChange(event.target.value)}
          aria-describedby={`${id}-hint`}
          className="block h-10 w-full rounded-lg border border-transparent bg-zinc-100 pl-9 pr-3 text-sm text-zinc-900 placeholder:text-zinc-500 dark:bg-zinc-800 dark:text-zinc-100"
        />
        <p id={`${id}-hint`} className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          {t("search.hint")}
        </p>
      </form>
      <div className="mt-4" aria-live="polite">
        {!prefix ? (
          <ExploreSection />
        ) : search.isPending || search.typing ? (
          <ListSkeleton rows={3} />
        ) : search.isError ? (
          <ErrorState error={search.error} onRetry={() => void search.refetch()} />
        ) : search.data.length === 0 ? (
          <EmptyState title={t("search.none", { term: prefix })} />
        ) : (
          <PeopleList>
            {search.data.map((person) => (
              <PersonRow key={person.id} person={person} />
            ))}
          </PeopleList>
        )}
      </div>
    </section>
  );
}
