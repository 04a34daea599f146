/** Who is tagged on a post: each a link to their profile, under the media. */
import { UserRound } from "lucide-react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { UserTag } from "./queries";

export function TaggedPeople({ tags }: { tags: UserTag[] }) {
  const { t } = useTranslation("network");
  if (tags.length === 0) return null;
  return (
    <p className="flex items-start gap-1.5 text-sm text-zinc-600 dark:text-zinc-300">
      <UserRound aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />
      <span>
        {t("post.tagged")}{" "}
        {tags.map((tag, index) => (
          <Fragment key={tag.person.id}>
            {index > 0 && ", "}
            <Link to={`/network/${tag.person.username}`} className="font-semibold hover:underline">
              {tag.person.username}
            </Link>
          </Fragment>
        ))}
      </span>
    </p>
  );
}
