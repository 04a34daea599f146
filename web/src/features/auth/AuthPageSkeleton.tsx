import { useTranslation } from "react-i18next";
import { Skeleton } from "@/components/ui/States";
import AuthLayout from "./AuthLayout";

/** The card's shape while we learn whether someone is signed in (or load what the page shows). */
export function AuthPageSkeleton({ title, rows = 2 }: { title: string; rows?: number }) {
  const { t } = useTranslation();
  return (
    <AuthLayout title={title}>
      <div role="status" aria-label={t("loading")} className="space-y-4">
        {Array.from({ length: rows }, (_, index) => (
          <div key={index} className="space-y-2">
            <Skeleton className="h-4 w-24" />
            <Skeleton className="h-10 w-full" />
          </div>
        ))}
        <Skeleton className="h-10 w-full" />
      </div>
    </AuthLayout>
  );
}
