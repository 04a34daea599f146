import { useTranslation } from "react-i18next";
import { Skeleton } from "@/components/ui/States";

/** A page's shape (heading, line, body) while what it shows loads; announced once as loading. */
export function PageSkeleton() {
  const { t } = useTranslation();
  return (
    <div role="status" aria-label={t("loading")} className="space-y-4">
      <Skeleton className="h-8 w-56" />
      <Skeleton className="h-4 w-80 max-w-full" />
      <Skeleton className="h-40 w-full" />
    </div>
  );
}
