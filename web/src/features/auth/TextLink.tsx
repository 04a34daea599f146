import type { ReactNode } from "react";
import { Link } from "react-router";
import { cn } from "@/lib/cn";

/** An in-app link that reads as one inside text (underlined, brand colour in both themes). */
export function TextLink({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  return (
    <Link
      to={to}
      className={cn(
        "rounded-sm font-medium text-brand-600 underline-offset-2 hover:underline dark:text-brand-500",
        className,
      )}
    >
      {children}
    </Link>
  );
}
