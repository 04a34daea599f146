"""The `fields` parameter of the Graph API, parsed: `id,caption,children{media_url},comments.limit(5){text}`,
`business_discovery.username(lumen.coffee){followers_count,media.limit(3).after(QVF){caption}}`.

Each field may carry modifiers (`.name(value)`, before or after its braces) and nested fields in braces.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_DEPTH = 5


class FieldsSyntaxError(ValueError):
    """The expression cannot be read; the message says where."""


@dataclass(frozen=True)
class FieldRequest:
    name: str
    args: dict[str, str] = field(default_factory=dict)
    fields: tuple[FieldRequest, ...] | None = None  # None: the node's default fields


def parse_fields(expression: str | None, default: tuple[str, ...] = ("id",)) -> tuple[FieldRequest, ...]:
    """The fields asked for; the default ones when the expression is empty."""
    if expression is None or not expression.strip():
        return tuple(FieldRequest(name) for name in default)
    parser = _Parser(expression)
    requests = parser.list(depth=0)
    if parser.position != len(expression):
        raise FieldsSyntaxError(f"Syntax error in fields at character {parser.position + 1}: {expression[:80]!r}")
    return requests


def _is_name_character(character: str) -> bool:
    return character.isalnum() or character == "_"


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0

    def _peek(self) -> str:
        self._skip_spaces()
        return self.text[self.position] if self.position < len(self.text) else ""

    def _skip_spaces(self) -> None:
        while self.position < len(self.text) and self.text[self.position].isspace():
            self.position += 1

    def _expect(self, character: str) -> None:
        if self._peek() != character:
            raise FieldsSyntaxError(f"Expected {character!r} in fields at character {self.position + 1}.")
        self.position += 1

    def _name(self) -> str:
        self._skip_spaces()
        start = self.position
        while self.position < len(self.text) and _is_name_character(self.text[self.position]):
            self.position += 1
        if start == self.position:
            raise FieldsSyntaxError(f"Expected a field name at character {start + 1} of fields.")
        return self.text[start : self.position]

    def _value(self) -> str:
        end = self.text.find(")", self.position)
        if end < 0:
            raise FieldsSyntaxError("A modifier's '(' is never closed in fields.")
        value = self.text[self.position : end].strip()
        self.position = end + 1
        return value

    def list(self, depth: int) -> tuple[FieldRequest, ...]:
        if depth > MAX_DEPTH:
            raise FieldsSyntaxError(f"Fields nest at most {MAX_DEPTH} levels deep.")
        requests = [self.item(depth)]
        while self._peek() == ",":
            self.position += 1
            if self._peek() in {"", "}"}:  # a trailing comma, as clients sometimes send
                break
            requests.append(self.item(depth))
        return tuple(requests)

    def item(self, depth: int) -> FieldRequest:
        name = self._name()
        args: dict[str, str] = {}
        nested: tuple[FieldRequest, ...] | None = None
        while (next_character := self._peek()) in {".", "{"}:
            self.position += 1
            if next_character == "{":
                if nested is not None:
                    raise FieldsSyntaxError(f"Field {name!r} has two sets of braces.")
                nested = self.list(depth + 1)
                self._expect("}")
            else:
                modifier = self._name()
                self._expect("(")
                args[modifier] = self._value()
        return FieldRequest(name, args, nested)
