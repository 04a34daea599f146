/**
 * A caption with its hashtags and mentions as links. The server locates them (`caption_entities`, in
 * characters, i.e. code points): the client never parses the text itself, so both always agree.
 */
import { Fragment, type ReactNode } from "react";
import { Link } from "react-router";
import type { CaptionEntity } from "./queries";

const linkClass = "font-medium text-blue-900 hover:underline dark:text-blue-300";

export function entityHref(entity: CaptionEntity): string {
  return entity.kind === "hashtag"
    ? `/network/explore/tags/${encodeURIComponent(entity.value)}`
    : `/network/${encodeURIComponent(entity.value)}`;
}

/** The caption cut into text and links; offsets count code points (an emoji is one), as Python's do. */
export function captionParts(text: string, entities: CaptionEntity[]): ReactNode[] {
  const chars = Array.from(text);
  const parts: ReactNode[] = [];
  let at = 0;
  const sorted = [...entities].sort((a, b) => a.start - b.start);
  for (const entity of sorted) {
    // Overlapping or out-of-range entities would garble the text: keep it as plain text instead.
    if (entity.start < at || entity.end > chars.length || entity.end <= entity.start) continue;
    if (entity.start > at) parts.push(chars.slice(at, entity.start).join(""));
    parts.push(
      <Link key={`${entity.start}-${entity.kind}`} to={entityHref(entity)} className={linkClass}>
        {chars.slice(entity.start, entity.end).join("")}
      </Link>,
    );
    at = entity.end;
  }
  if (at < chars.length) parts.push(chars.slice(at).join(""));
  return parts;
}

export function Caption({ text, entities }: { text: string; entities: CaptionEntity[] }) {
  return (
    <>
      {captionParts(text, entities).map((part, index) => (
        <Fragment key={index}>{part}</Fragment>
      ))}
    </>
  );
}
