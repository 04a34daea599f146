"""Hashtags and mentions are read from captions as Instagram reads them, and the limits hold."""

from __future__ import annotations

import pytest

from viewfinder.kit.errors import InvalidInput
from viewfinder.network.social.captions import checked_caption, parse_caption


def test_hashtags_and_mentions_are_found_once_each_lowercased_in_order() -> None:
    caption = parse_caption("Sunset at the lake with @Mara_Rossi and @luca.b! #Sunset #lago #sunset #città_2026")
    assert caption.hashtags == ["sunset", "lago", "città_2026"]
    assert caption.mentions == ["mara_rossi", "luca.b"]


def test_entities_locate_each_link_in_the_text() -> None:
    text = "hi @ada, see #Rome."
    caption = parse_caption(text)
    assert [(e.kind, text[e.start : e.end], e.value) for e in caption.entities] == [
        ("mention", "@ada", "ada"),
        ("hashtag", "#Rome", "rome"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "write to mail@example.com",  # an address, not a mention
        "a#b and c@d",  # mid-word
        "#123 is a number",  # digits alone are not a hashtag
        "## and @ and # alone",
        "price: 5#",
    ],
)
def test_what_is_not_a_hashtag_or_mention(text: str) -> None:
    assert parse_caption(text).entities == ()


def test_a_mention_ends_before_the_sentence_ends() -> None:
    assert parse_caption("Thanks @giulia.").mentions == ["giulia"]
    assert parse_caption("Thanks @giulia.bianchi.").mentions == ["giulia.bianchi"]
    assert parse_caption(f"@{'a' * 35}").mentions == ["a" * 30]  # a username has at most 30 characters


def test_hashtags_follow_punctuation_and_line_breaks() -> None:
    assert parse_caption("(#travel)\n#food,#art").hashtags == ["travel", "food", "art"]


def test_limits_are_enforced_with_the_field_named() -> None:
    assert checked_caption("x" * 2200).text == "x" * 2200
    assert len(checked_caption(" ".join(f"#tag{i}" for i in range(30))).hashtags) == 30
    assert len(checked_caption(" ".join(f"@user{i}" for i in range(20)) + " #a #a #a").mentions) == 20
    cases = [
        ("x" * 2201, "too_long"),
        (" ".join(f"#tag{i}" for i in range(31)), "too_many_hashtags"),
        (" ".join(f"@user{i}" for i in range(21)), "too_many_mentions"),
    ]
    for text, code in cases:
        with pytest.raises(InvalidInput) as refused:
            checked_caption(text, field="caption")
        assert refused.value.errors == [{"field": "caption", "message": str(refused.value), "code": code}]


def test_repeating_a_hashtag_does_not_count_twice() -> None:
    assert checked_caption(" ".join(["#same"] * 40)).hashtags == ["same"]
