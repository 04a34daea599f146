"""Captions as Instagram reads them: hashtags and mentions found, counted against the limits, located for links.

A hashtag is `#` and letters (any script), digits or `_`, with at least one that is not a digit; a mention is
`@` and a username's characters. Either starts a word: `mail@example.com` and `a#b` are plain text. A mention
ends before a final `.` (the end of the sentence, not of the name).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from viewfinder.kit.errors import InvalidInput

MAX_CAPTION_LENGTH = 2200
MAX_HASHTAGS = 30
MAX_MENTIONS = 20
MAX_USERNAME_LENGTH = 30

_HASHTAG = re.compile(r"(?<![\w#@&])#(\w*[^\W\d]\w*)")
_MENTION = re.compile(r"(?<![\w@#.])@([A-Za-z0-9._]{1,%d})" % MAX_USERNAME_LENGTH)  # noqa: UP031 - a regex


@dataclass(frozen=True)
class Entity:
    """A hashtag or mention at `start`..`end` (characters) of the caption; `value` is its lowercased name."""

    kind: Literal["hashtag", "mention"]
    start: int
    end: int
    value: str


@dataclass(frozen=True)
class Caption:
    text: str
    entities: tuple[Entity, ...]

    @property
    def hashtags(self) -> list[str]:
        """Each hashtag once, lowercased, in the order it first appears."""
        return _unique(entity.value for entity in self.entities if entity.kind == "hashtag")

    @property
    def mentions(self) -> list[str]:
        """Each mentioned username once, lowercased, in the order it first appears."""
        return _unique(entity.value for entity in self.entities if entity.kind == "mention")


def parse_caption(text: str) -> Caption:
    entities = [Entity("hashtag", m.start(), m.end(), m.group(1).lower()) for m in _HASHTAG.finditer(text)]
    for match in _MENTION.finditer(text):
        name = match.group(1).rstrip(".")
        if name:
            entities.append(Entity("mention", match.start(), match.start() + 1 + len(name), name.lower()))
    return Caption(text, tuple(sorted(entities, key=lambda entity: entity.start)))


def checked_caption(text: str, *, field: str = "caption") -> Caption:
    """Parse a caption and refuse it (422 on `field`) past Instagram's limits."""
    if len(text) > MAX_CAPTION_LENGTH:
        raise InvalidInput.on(
            field, f"A caption has at most {MAX_CAPTION_LENGTH} characters; this one has {len(text)}.", "too_long"
        )
    caption = parse_caption(text)
    if len(caption.hashtags) > MAX_HASHTAGS:
        raise InvalidInput.on(
            field,
            f"A caption has at most {MAX_HASHTAGS} hashtags; this one has {len(caption.hashtags)}.",
            "too_many_hashtags",
        )
    if len(caption.mentions) > MAX_MENTIONS:
        raise InvalidInput.on(
            field,
            f"A caption mentions at most {MAX_MENTIONS} people; this one has {len(caption.mentions)}.",
            "too_many_mentions",
        )
    return caption


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
