/**
 * The top bar's people search: a combobox (ARIA 1.2) whose options are the people found as one types. Arrow
 * keys move through them, Enter opens the one chosen (or the search page with the term), Escape closes.
 */
import { Search } from "lucide-react";
import { useId, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { Avatar } from "@/components/Avatar";
import { cn } from "@/lib/cn";
import { searchPrefix, usePeopleSearch } from "../queries";

export function TopBarSearch() {
  const { t } = useTranslation("network");
  const navigate = useNavigate();
  const id = useId();
  const [term, setTerm] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const search = usePeopleSearch(term);
  const people = search.data ?? [];
  const showList = open && searchPrefix(term).length > 0;

  const go = (to: string) => {
    setOpen(false);
    setTerm("");
    setActive(-1);
    navigate(to);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" && people.length > 0) {
      event.preventDefault();
      setOpen(true);
      setActive((index) => (index + 1) % people.length);
    } else if (event.key === "ArrowUp" && people.length > 0) {
      event.preventDefault();
      setActive((index) => (index <= 0 ? people.length - 1 : index - 1));
    } else if (event.key === "Escape") {
      setOpen(false);
      setActive(-1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      const chosen = showList ? people[active] : undefined;
      if (chosen) go(`/network/${chosen.username}`);
      else if (searchPrefix(term)) go(`/network/search?q=${encodeURIComponent(searchPrefix(term))}`);
    }
  };

  let status: string | null = null;
  if (showList && (search.isPending || search.typing)) status = t("search.searching");
  else if (showList && search.isError) status = t("search.failed");
  else if (showList && people.length === 0) status = t("search.none", { term: searchPrefix(term) });

  return (
    <div className="relative min-w-0 flex-1 sm:max-w-xs">
      <Search aria-hidden className="pointer-events-none absolute left-2.5 top-2.5 h-4 w-4 text-zinc-400" />
      <input
        type="search"
        role="combobox"
        aria-label={t("search.label")}
        aria-expanded={showList}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={showList && active >= 0 ? `${id}-${active}` : undefined}
        placeholder={t("search.placeholder")}
        autoComplete="off"
        value={term}
        onChange={(event) => {
          setTerm(event.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
        className="block h-9 w-full rounded-lg border border-transparent bg-zinc-100 pl-8 pr-3 text-sm text-zinc-900 placeholder:text-zinc-500 dark:bg-zinc-800 dark:text-zinc-100"
      />
      <ul
        id={`${id}-list`}
        role="listbox"
        aria-label={t("search.results")}
        hidden={!showList}
        className="absolute left-0 right-0 top-11 z-40 max-h-80 overflow-y-auto rounded-lg border border-zinc-200 bg-white p-1 shadow-lg sm:right-auto sm:w-80 dark:border-zinc-800 dark:bg-zinc-900"
      >
        {status && <li className="px-3 py-2 text-sm text-zinc-500 dark:text-zinc-400">{status}</li>}
        {!status &&
          people.map((person, index) => (
            <li
              key={person.id}
              id={`${id}-${index}`}
              role="option"
              aria-selected={index === active}
              // Keeps the focus in the field (a blur would close the list before the click lands).
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => go(`/network/${person.username}`)}
              className={cn(
                "flex cursor-pointer items-center gap-3 rounded-md px-2 py-1.5",
                index === active ? "bg-zinc-100 dark:bg-zinc-800" : "hover:bg-zinc-50 dark:hover:bg-zinc-800/60",
              )}
            >
              <Avatar name={person.name} url={person.avatar_url} />
              <span className="min-w-0">
                <span className="block truncate text-sm font-semibold">{person.username}</span>
                <span className="block truncate text-xs text-zinc-500 dark:text-zinc-400">{person.name}</span>
              </span>
            </li>
          ))}
      </ul>
    </div>
  );
}
