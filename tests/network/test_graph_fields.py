"""The `fields` expression of the Graph API: names, modifiers before or after braces, nesting, and errors."""

from __future__ import annotations

import pytest

from viewfinder.network.graph.fields import FieldRequest, FieldsSyntaxError, parse_fields


def test_plain_names_and_the_default() -> None:
    assert parse_fields("id, username ,media_count") == (
        FieldRequest("id"),
        FieldRequest("username"),
        FieldRequest("media_count"),
    )
    assert parse_fields(None, ("id", "name")) == (FieldRequest("id"), FieldRequest("name"))
    assert parse_fields("  ") == (FieldRequest("id"),)
    assert parse_fields("id,caption,") == (FieldRequest("id"), FieldRequest("caption"))


def test_nested_fields_and_modifiers_on_either_side_of_the_braces() -> None:
    parsed = parse_fields("id,children{media_url,id},comments.limit(5){text,replies{text}},media{id}.after(QVF)")
    assert parsed == (
        FieldRequest("id"),
        FieldRequest("children", {}, (FieldRequest("media_url"), FieldRequest("id"))),
        FieldRequest(
            "comments",
            {"limit": "5"},
            (FieldRequest("text"), FieldRequest("replies", {}, (FieldRequest("text"),))),
        ),
        FieldRequest("media", {"after": "QVF"}, (FieldRequest("id"),)),
    )


def test_business_discovery_with_a_username_and_paged_media() -> None:
    (parsed,) = parse_fields("business_discovery.username(lumen.coffee){followers_count,media.limit(3){caption}}")
    assert parsed.name == "business_discovery"
    assert parsed.args == {"username": "lumen.coffee"}
    assert parsed.fields == (
        FieldRequest("followers_count"),
        FieldRequest("media", {"limit": "3"}, (FieldRequest("caption"),)),
    )


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("id,{name}", "Expected a field name"),
        ("media{id", "Expected '}'"),
        ("media.limit(5", "never closed"),
        ("media{id}{caption}", "two sets of braces"),
        ("id name", "Syntax error"),
        ("a{b{c{d{e{f{g}}}}}}", "at most 5 levels"),
    ],
)
def test_what_cannot_be_read_says_where(expression: str, message: str) -> None:
    with pytest.raises(FieldsSyntaxError, match=message):
        parse_fields(expression)
