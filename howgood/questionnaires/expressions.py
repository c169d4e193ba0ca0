"""The questionnaire expression language: XLSForm ``relevant`` and ``constraint``.

This module is pure Python (no Django) and has three jobs:

* :func:`parse` turns expression text into an immutable tree of frozen
  dataclasses (:data:`Node`), or raises :class:`ExpressionError` with a
  0-based character ``position`` and a plain-English message.
* :func:`evaluate` / :func:`value` run a tree against a mapping of answers.
  They never raise for a tree that :func:`parse` produced (or any tree built
  from the node classes, which validate themselves), whatever the answers.
* :func:`to_json` emits a compact JSON AST that ``static/js/hg-expressions.js``
  evaluates in the browser with exactly the same semantics; :func:`to_text`
  and :func:`rename` write trees back as XLSForm syntax.

Syntax (the subset of ODK XPath that XLSForm uses)
--------------------------------------------------
* literals: ``'single'`` or ``"double"`` quoted strings (no escapes, as in
  XPath 1.0), numbers ``3``, ``2.5``, ``.5``, ``5.`` (no exponents; ``-1`` is
  unary minus applied to ``1``);
* ``${field_name}``: an answer. Names are ASCII: a letter or ``_`` followed by
  letters, digits, ``_``, ``-`` and ``.``;
* ``.``: the current item's value (for constraints);
* any Unicode whitespace may separate tokens;
* operators, loosest first: ``or``; ``and``; ``=`` ``!=``; ``<`` ``<=`` ``>``
  ``>=``; ``+`` ``-``; ``*`` ``div`` ``mod``; unary ``-``. Binary operators
  are left-associative; parentheses group;
* functions: see :data:`FUNCTIONS` (arity is checked by :func:`parse`).

Values and conversions (XPath 1.0 rules unless noted)
-----------------------------------------------------
At run time every value is a ``float`` (number), ``str`` or ``bool``.

* An answer is turned into a string: ``None``, ``''`` and ``[]`` (unanswered)
  are ``''``; a list (select_multiple) is its choice names joined by single
  spaces (empty names dropped; choice names must not contain spaces);
  ``int``/``float``/``Decimal`` become their decimal text (no exponent); a
  ``datetime.date`` becomes ``'YYYY-MM-DD'`` (a ``datetime.datetime`` keeps
  only its date). A ``bool`` answer stays a
  boolean (extension). The browser sees answers as strings too, which is what
  keeps the two evaluators in agreement.
* string -> number: optional whitespace, optional ``-``, digits with an
  optional decimal point, optional whitespace; **and (deviation) a valid
  ``'YYYY-MM-DD'`` date becomes the number of days since 1970-01-01**, as
  ODK's ``decimal-date-time()`` does for dates. Anything else (including ``''``) is NaN.
  ``true`` -> 1, ``false`` -> 0.
* number -> string: ``NaN``, ``Infinity``, ``-Infinity``; integers without a
  decimal point; otherwise the shortest round-tripping decimal, never with an
  exponent; ``-0`` is ``'0'``. Boolean -> ``'true'`` / ``'false'``.
* -> boolean: numbers are true unless 0 or NaN; strings unless empty.
  :func:`evaluate` returns the boolean of :func:`value`.

Operators
---------
* ``=`` / ``!=``: if either side is a boolean, compare as booleans; else if
  either side is a number, compare numerically when the other side converts to
  a number, otherwise compare the two as strings (**deviation**: XPath would
  compare with NaN; results differ only in contrived cases such as
  ``0 div 0 = 'NaN'``); else compare strings exactly. ``!=`` is always the
  negation of ``=``. Answers are strings, so ``${a} = ${b}`` compares text
  (``'5' = '5.0'`` is false, as for two XPath nodes); use
  ``number(${a}) = number(${b})`` to compare two numeric fields.
* ``<`` ``<=`` ``>`` ``>=`` convert both sides to numbers; NaN makes them
  false. Because dates convert to day numbers, ``${dob} < today()`` and
  ``. >= '2024-01-01'`` work, and ``today() - ${dob}`` is a number of days.
* ``+ - * div mod`` are IEEE double arithmetic: ``1 div 0`` is Infinity,
  ``0 div 0`` and ``5 mod 0`` are NaN; ``mod`` takes the dividend's sign.
* ``and`` / ``or`` short-circuit and return booleans.

So an unanswered field is ``''``: ``${age} > 5`` and ``${age} <= 5`` are
both false, ``${x} = ''`` is true and ``${x} != ''`` false.

Functions
---------
``not(x)``, ``boolean(x)``, ``true()``, ``false()``, ``number(x)``,
``string(x)``; ``int(x)`` truncates toward zero (NaN/Infinity unchanged);
``round(x)`` / ``round(x, n)`` round to ``n`` (default 0, truncated, clamped to
-400..400) decimal places, halves away from zero, working on the shortest
decimal text of ``x`` so ``round(2.675, 2)`` is 2.68 (**deviation**: XPath 1.0
rounds ``-2.5`` to ``-2``, here it is ``-3``);
``selected(x, c)`` is whether ``c`` (trimmed) is one of the whitespace
separated tokens of ``x``; ``count-selected(x)`` counts those tokens;
``string-length(s)`` counts Unicode code points; ``contains(s, t)``,
``starts-with(s, t)``, ``concat(...)`` (any number of arguments);
``if(c, a, b)`` and ``coalesce(a, b)`` (``a`` unless its string value is
empty) evaluate lazily and return the chosen value unchanged; ``today()``
returns the ``'YYYY-MM-DD'`` string of the ``today`` argument (default
``date.today()``; Django callers should pass ``timezone.localdate()``).
Whitespace means space, tab, CR and LF everywhere at run time.

Limits: :data:`MAX_NESTING` levels of parentheses/calls and a tree depth of
:data:`MAX_DEPTH`, so evaluation cannot exhaust the Python stack.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final, TypeAlias

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_NESTING",
    "Answer",
    "Binary",
    "Call",
    "Current",
    "ExpressionError",
    "JSONValue",
    "Neg",
    "Node",
    "Number",
    "Ref",
    "String",
    "Value",
    "evaluate",
    "parse",
    "references",
    "rename",
    "to_json",
    "to_text",
    "uses_current",
    "value",
]

Answer: TypeAlias = str | int | float | Decimal | _dt.date | list[str] | None
"""An answer as stored: ``None``/``''``/``[]`` mean unanswered."""

Value: TypeAlias = float | str | bool
"""A run-time value: numbers are always ``float``."""

JSONValue: TypeAlias = list["JSONValue"] | dict[str, "JSONValue"] | str | int | float | bool

MAX_DEPTH: Final = 200
"""Maximum depth of an expression tree (a leaf has depth 1)."""

MAX_NESTING: Final = 32
"""Maximum nesting of parentheses and function calls accepted by parse()."""

FUNCTIONS: Final[Mapping[str, tuple[int, int | None]]] = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "not": (1, 1),
    "string-length": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "today": (0, 0),
    "number": (1, 1),
    "string": (1, 1),
    "int": (1, 1),
    "round": (1, 2),
    "boolean": (1, 1),
    "if": (3, 3),
    "coalesce": (2, 2),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "concat": (0, None),
}
"""Supported functions: name -> (minimum, maximum or None) argument count."""

BINARY_OPERATORS: Final[Mapping[str, int]] = {
    "or": 1,
    "and": 2,
    "=": 3,
    "!=": 3,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "div": 6,
    "mod": 6,
}
"""Binary operator -> precedence (higher binds tighter)."""

_UNARY_PREC: Final = 7
_ATOM_PREC: Final = 8
_NAME_RE: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_NAME_CHARS_RE: Final = re.compile(r"[A-Za-z0-9_.\-]*")
_WORD_RE: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_:\-]*")
_NUMBER_TOKEN_RE: Final = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_WS: Final = " \t\n\r"
_NUMBER_RE: Final = re.compile(r"[ \t\n\r]*(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))[ \t\n\r]*")
_DATE_RE: Final = re.compile(r"[ \t\n\r]*([0-9]{4})-([0-9]{2})-([0-9]{2})[ \t\n\r]*")
_EXP_RE: Final = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?e([+-][0-9]+)")
_SPLIT_RE: Final = re.compile(r"[ \t\n\r]+")
_EPOCH: Final = _dt.date(1970, 1, 1).toordinal()


class ExpressionError(ValueError):
    """An expression that cannot be parsed (or an invalid node).

    ``position`` is the 0-based character offset in the expression text where
    the problem was found (``None`` when not tied to a place); ``message``
    (also ``str(error)``) is a plain-English explanation that already
    mentions the position.
    """

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


# --------------------------------------------------------------------------
# Tree
# --------------------------------------------------------------------------


def _supported() -> str:
    return ", ".join(f"{name}()" for name in FUNCTIONS)


def _arity_text(name: str, given: int) -> str | None:
    """Return an explanation if ``given`` arguments are wrong for ``name``."""
    low, high = FUNCTIONS[name]
    if given >= low and (high is None or given <= high):
        return None
    if high is None:
        expected = f"at least {low} argument{'s' if low != 1 else ''}"
    elif low == high:
        expected = f"exactly {low} argument{'s' if low != 1 else ''}"
    else:
        expected = f"{low} or {high} arguments"
    return f"{name}() takes {expected} but {given} {'was' if given == 1 else 'were'} given"


def _check_depth(depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ExpressionError(f"Expression is nested too deeply (more than {MAX_DEPTH} levels).")


@dataclass(frozen=True, slots=True)
class Number:
    """A number literal. ``value`` is finite and not negative (``-1`` is
    ``Neg(Number(1.0))``); it is stored as a float."""

    value: float
    depth: int = field(default=1, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        v = float(self.value)
        if not math.isfinite(v) or math.copysign(1.0, v) < 0:
            raise ExpressionError(f"Number literal must be finite and not negative, got {v!r}.")
        object.__setattr__(self, "value", v)


@dataclass(frozen=True, slots=True)
class String:
    """A string literal (any text)."""

    value: str
    depth: int = field(default=1, init=False, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Ref:
    """``${name}``: the answer to the field ``name`` (a valid field name)."""

    name: str
    depth: int = field(default=1, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _NAME_RE.fullmatch(self.name):
            raise ExpressionError(f"Invalid field name {self.name!r}.")


@dataclass(frozen=True, slots=True)
class Current:
    """``.``: the value of the item being validated."""

    depth: int = field(default=1, init=False, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Neg:
    """Unary minus."""

    operand: Node
    depth: int = field(default=1, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        depth = self.operand.depth + 1
        _check_depth(depth)
        object.__setattr__(self, "depth", depth)


@dataclass(frozen=True, slots=True)
class Binary:
    """A binary operator; ``op`` is a key of :data:`BINARY_OPERATORS`."""

    op: str
    left: Node
    right: Node
    depth: int = field(default=1, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.op not in BINARY_OPERATORS:
            raise ExpressionError(f"Unknown operator {self.op!r}.")
        depth = max(self.left.depth, self.right.depth) + 1
        _check_depth(depth)
        object.__setattr__(self, "depth", depth)


@dataclass(frozen=True, slots=True)
class Call:
    """A call of a supported function with a valid number of arguments."""

    name: str
    args: tuple[Node, ...] = ()
    depth: int = field(default=1, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.name not in FUNCTIONS:
            raise ExpressionError(
                f"Unknown function {self.name!r}. Supported functions: {_supported()}."
            )
        args = tuple(self.args)
        problem = _arity_text(self.name, len(args))
        if problem:
            raise ExpressionError(problem + ".")
        depth = max((a.depth for a in args), default=0) + 1
        _check_depth(depth)
        object.__setattr__(self, "args", args)
        object.__setattr__(self, "depth", depth)


Node: TypeAlias = Number | String | Ref | Current | Neg | Binary | Call
"""Any expression tree node. Nodes are immutable, hashable and compare by
value; ``depth`` is informational and excluded from equality."""


# --------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # num str ref dot op word end
    text: str
    pos: int
    number: float = 0.0


def _describe(tok: _Token) -> str:
    if tok.kind == "end":
        return "the end of the expression"
    if tok.kind == "str":
        return f"text {_quote(tok.text)}"
    if tok.kind == "ref":
        return f"${{{tok.text}}}"
    if tok.kind == "num":
        return f"number {tok.text}"
    return f"'{tok.text}'"


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c in "'\"":
            end = text.find(c, i + 1)
            if end < 0:
                raise ExpressionError(
                    f"Unterminated string starting at position {i}: add the closing {c}.", i
                )
            tokens.append(_Token("str", text[i + 1 : end], i))
            i = end + 1
            continue
        if c in "\u2018\u2019\u201c\u201d":
            raise ExpressionError(
                f"Curly quote {c} at position {i}: use straight quotes ' or \" around text.", i
            )
        if c == "$":
            if not text.startswith("${", i):
                raise ExpressionError(
                    f"Unexpected '$' at position {i}: field references are written ${{name}}.", i
                )
            match = _NAME_CHARS_RE.match(text, i + 2)
            end = match.end() if match else i + 2
            name = text[i + 2 : end]
            if end >= n:
                raise ExpressionError(
                    f"Unterminated field reference starting at position {i}: add the closing '}}'.",
                    i,
                )
            if text[end] != "}":
                raise ExpressionError(
                    f"Unexpected character {text[end]!r} at position {end} in the field reference "
                    f"starting at position {i}: expected '}}'.",
                    end,
                )
            if not name:
                raise ExpressionError(
                    f"Empty field reference '${{}}' at position {i}: put a field name inside, "
                    "e.g. ${age}.",
                    i,
                )
            if not _NAME_RE.fullmatch(name):
                raise ExpressionError(
                    f"Invalid field name {name!r} at position {i}: names start with a letter or "
                    "underscore and contain only letters, digits, '_', '-' and '.'.",
                    i,
                )
            tokens.append(_Token("ref", name, i))
            i = end + 1
            continue
        match = _NUMBER_TOKEN_RE.match(text, i)
        if match:
            after = text[match.end() : match.end() + 2]
            if after[:1] in ("e", "E") and (after[1:] or "x") in "0123456789+-":
                raise ExpressionError(
                    f"Scientific notation at position {i} is not supported: write the number "
                    "out in full, e.g. 1500 rather than 1.5e3.",
                    i,
                )
            number = float(match.group())
            if math.isinf(number):
                raise ExpressionError(f"The number at position {i} is too large.", i)
            tokens.append(_Token("num", match.group(), i, number))
            i = match.end()
            continue
        if c == ".":
            tokens.append(_Token("dot", ".", i))
            i += 1
            continue
        match = _WORD_RE.match(text, i)
        if match:
            tokens.append(_Token("word", match.group(), i))
            i = match.end()
            continue
        pair = text[i : i + 2]
        if pair in ("!=", "<=", ">="):
            tokens.append(_Token("op", pair, i))
            i += 2
            continue
        hints = {"==": "use '=' to compare", "&&": "use 'and'", "||": "use 'or'"}
        if pair in hints:
            raise ExpressionError(f"'{pair}' at position {i} is not valid: {hints[pair]}.", i)
        if c in "=<>+-*(),":
            tokens.append(_Token("op", c, i))
            i += 1
            continue
        if c == "!":
            raise ExpressionError(
                f"Unexpected '!' at position {i}: use '!=' to compare or not(...) to negate.", i
            )
        raise ExpressionError(f"Unexpected character {c!r} at position {i}.", i)
    tokens.append(_Token("end", "", n))
    return tokens


_LEVELS: Final[tuple[frozenset[str], ...]] = tuple(
    frozenset(op for op, prec in BINARY_OPERATORS.items() if prec == level) for level in range(1, 7)
)


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.index = 0
        self.nesting = 0

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        tok = self.tokens[self.index]
        if tok.kind != "end":
            self.index += 1
        return tok

    def is_op(self, tok: _Token, ops: frozenset[str] | str) -> bool:
        return tok.kind in ("op", "word") and tok.text in ops

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise ExpressionError("The expression is empty.", 0)
        node = self.level(0)
        tok = self.peek()
        if tok.kind != "end":
            if self.is_op(tok, ")"):
                raise ExpressionError(
                    f"Unexpected ')' at position {tok.pos}: there is no matching '('.", tok.pos
                )
            raise ExpressionError(
                f"Unexpected {_describe(tok)} at position {tok.pos}: expected an operator "
                "(such as 'and', 'or', '=', '+') or the end of the expression.",
                tok.pos,
            )
        return node

    def level(self, index: int) -> Node:
        if index == len(_LEVELS):
            return self.unary()
        ops = _LEVELS[index]
        left = self.level(index + 1)
        while self.is_op(self.peek(), ops):
            tok = self.advance()
            right = self.level(index + 1)
            self.check_depth(max(left.depth, right.depth) + 1, tok.pos)
            left = Binary(tok.text, left, right)
        return left

    def check_depth(self, depth: int, pos: int) -> None:
        if depth > MAX_DEPTH:
            raise ExpressionError(
                f"The expression is too complex at position {pos} "
                f"(more than {MAX_DEPTH} levels of operators).",
                pos,
            )

    def enter(self, pos: int) -> None:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise ExpressionError(
                f"Too many nested parentheses or function calls at position {pos} "
                f"(at most {MAX_NESTING}).",
                pos,
            )

    def unary(self) -> Node:
        minuses: list[int] = []
        while self.is_op(self.peek(), "-"):
            minuses.append(self.advance().pos)
        node = self.primary()
        for pos in reversed(minuses):
            self.check_depth(node.depth + 1, pos)
            node = Neg(node)
        return node

    def primary(self) -> Node:
        tok = self.advance()
        if tok.kind == "num":
            return Number(tok.number)
        if tok.kind == "str":
            return String(tok.text)
        if tok.kind == "ref":
            return Ref(tok.text)
        if tok.kind == "dot":
            return Current()
        if tok.kind == "end":
            raise ExpressionError(
                f"The expression ends too early at position {tok.pos}: a value is missing.",
                tok.pos,
            )
        if self.is_op(tok, "("):
            self.enter(tok.pos)
            node = self.level(0)
            close = self.peek()
            if close.kind == "end":
                raise ExpressionError(
                    f"Missing ')' to close the '(' at position {tok.pos}.", tok.pos
                )
            if not self.is_op(close, ")"):
                raise ExpressionError(
                    f"Expected ')' to close the '(' at position {tok.pos} but found "
                    f"{_describe(close)} at position {close.pos}.",
                    close.pos,
                )
            self.advance()
            self.nesting -= 1
            return node
        if tok.kind == "word":
            if self.is_op(self.peek(), "("):
                return self.call(tok)
            if tok.text in BINARY_OPERATORS:
                raise ExpressionError(
                    f"Unexpected '{tok.text}' at position {tok.pos}: a value is missing before it.",
                    tok.pos,
                )
            if tok.text in FUNCTIONS:
                raise ExpressionError(
                    f"'{tok.text}' at position {tok.pos} is a function: call it with parentheses, "
                    f"e.g. {tok.text}({'' if FUNCTIONS[tok.text][1] == 0 else '...'}).",
                    tok.pos,
                )
            raise ExpressionError(
                f"Unexpected word '{tok.text}' at position {tok.pos}: put text in quotes "
                f"('{tok.text}'), refer to a field as ${{{tok.text}}}, and call functions "
                "with parentheses.",
                tok.pos,
            )
        raise ExpressionError(
            f"Expected a value at position {tok.pos} but found {_describe(tok)}.", tok.pos
        )

    def call(self, name_tok: _Token) -> Node:
        name, pos = name_tok.text, name_tok.pos
        if name not in FUNCTIONS:
            raise ExpressionError(
                f"Unknown function '{name}' at position {pos}. "
                f"Supported functions: {_supported()}.",
                pos,
            )
        self.enter(pos)
        self.advance()  # the '('
        args: list[Node] = []
        if self.is_op(self.peek(), ")"):
            self.advance()
        else:
            while True:
                args.append(self.level(0))
                tok = self.advance()
                if self.is_op(tok, ")"):
                    break
                if self.is_op(tok, ","):
                    continue
                if tok.kind == "end":
                    raise ExpressionError(
                        f"Missing ')' to close the call to {name}() at position {pos}.", pos
                    )
                raise ExpressionError(
                    f"Expected ',' or ')' in the call to {name}() at position {tok.pos} but "
                    f"found {_describe(tok)}.",
                    tok.pos,
                )
        self.nesting -= 1
        problem = _arity_text(name, len(args))
        if problem:
            raise ExpressionError(f"{problem} at position {pos}.", pos)
        self.check_depth(max((a.depth for a in args), default=0) + 1, pos)
        return Call(name, tuple(args))


def parse(text: str) -> Node:
    """Parse XLSForm expression ``text`` into a tree.

    Raises :class:`ExpressionError` (with ``position``) for anything outside
    the language: empty text, unbalanced parentheses, unterminated strings or
    references, empty ``${}``, stray characters, bare words, trailing tokens,
    unknown functions and wrong argument counts.
    """
    try:
        return _Parser(text).parse()
    except RecursionError:  # pragma: no cover - guarded by MAX_NESTING
        raise ExpressionError("The expression is nested too deeply.", 0) from None


# --------------------------------------------------------------------------
# Inspection and rewriting
# --------------------------------------------------------------------------


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Neg):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    return ()


def _walk(node: Node) -> list[Node]:
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(_children(current))
    return out


def references(node: Node) -> set[str]:
    """Return the names of all fields referenced as ``${name}``."""
    return {n.name for n in _walk(node) if isinstance(n, Ref)}


def uses_current(node: Node) -> bool:
    """Return whether the expression uses ``.`` (the current item's value)."""
    return any(isinstance(n, Current) for n in _walk(node))


def rename(node: Node, mapping: Mapping[str, str]) -> Node:
    """Return a copy of ``node`` with each ``${old}`` in ``mapping`` replaced by
    ``${mapping[old]}``. Raises :class:`ExpressionError` if a new name is not a
    valid field name."""
    if isinstance(node, Ref):
        return Ref(mapping.get(node.name, node.name))
    if isinstance(node, Neg):
        return Neg(rename(node.operand, mapping))
    if isinstance(node, Binary):
        return Binary(node.op, rename(node.left, mapping), rename(node.right, mapping))
    if isinstance(node, Call):
        return Call(node.name, tuple(rename(a, mapping) for a in node.args))
    return node


def _quote(text: str) -> str:
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    # XPath 1.0 strings cannot contain both quote characters; never produced by parse().
    parts = [f"'{p}'" for p in text.split("'")]
    return "concat(" + ', "\'", '.join(parts) + ")"


def _prec(node: Node) -> int:
    if isinstance(node, Binary):
        return BINARY_OPERATORS[node.op]
    if isinstance(node, Neg):
        return _UNARY_PREC
    return _ATOM_PREC


def to_text(node: Node) -> str:
    """Write ``node`` as XLSForm expression text with minimal parentheses.

    ``parse(to_text(node)) == node`` for every tree (a string literal holding
    both ``'`` and ``"``, which parse() never produces, is written as an
    equivalent ``concat()``)."""
    if isinstance(node, Number):
        return _num_to_str(node.value)
    if isinstance(node, String):
        return _quote(node.value)
    if isinstance(node, Ref):
        return f"${{{node.name}}}"
    if isinstance(node, Current):
        return "."
    if isinstance(node, Neg):
        inner = to_text(node.operand)
        return "-" + (f"({inner})" if _prec(node.operand) < _UNARY_PREC else inner)
    if isinstance(node, Binary):
        prec = BINARY_OPERATORS[node.op]
        left, right = to_text(node.left), to_text(node.right)
        if _prec(node.left) < prec:
            left = f"({left})"
        if _prec(node.right) <= prec:
            right = f"({right})"
        return f"{left} {node.op} {right}"
    return f"{node.name}({', '.join(to_text(a) for a in node.args)})"


def to_json(node: Node) -> JSONValue:
    """Return the compact JSON AST evaluated by ``static/js/hg-expressions.js``.

    Number literal -> JSON number; string literal -> JSON string;
    ``${x}`` -> ``["$", "x"]``; ``.`` -> ``["."]``; ``-x`` -> ``["neg", x]``;
    ``a op b`` -> ``[op, a, b]`` (op as written, e.g. ``"div"``, ``"<="``);
    ``f(a, ...)`` -> ``["fn", "f", a, ...]``.
    """
    if isinstance(node, Number):
        v = node.value
        return int(v) if v.is_integer() and v < 2**53 else v
    if isinstance(node, String):
        return node.value
    if isinstance(node, Ref):
        return ["$", node.name]
    if isinstance(node, Current):
        return ["."]
    if isinstance(node, Neg):
        return ["neg", to_json(node.operand)]
    if isinstance(node, Binary):
        return [node.op, to_json(node.left), to_json(node.right)]
    return ["fn", node.name, *(to_json(a) for a in node.args)]


# --------------------------------------------------------------------------
# Conversions
# --------------------------------------------------------------------------


def _plain(text: str) -> str:
    """Expand an exponent form such as ``-1.5e-07`` to plain decimal text."""
    match = _EXP_RE.fullmatch(text)
    if not match:
        return text
    sign, whole, frac, exp = match.groups()
    digits = whole + (frac or "")
    point = len(whole) + int(exp)
    if point <= 0:
        body = "0." + "0" * -point + digits
    elif point >= len(digits):
        body = digits + "0" * (point - len(digits))
    else:
        body = digits[:point] + "." + digits[point:]
    return sign + body


def _num_to_str(x: float) -> str:
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    text = repr(x)
    if "e" in text:
        return _plain(text)
    return text[:-2] if text.endswith(".0") else text


def _date_days(year: int, month: int, day: int) -> float:
    try:
        return float(_dt.date(year, month, day).toordinal() - _EPOCH)
    except ValueError:
        return math.nan


def _str_to_num(text: str) -> float:
    match = _NUMBER_RE.fullmatch(text)
    if match:
        return float(match.group(1))
    match = _DATE_RE.fullmatch(text)
    if match:
        return _date_days(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    return math.nan


def _to_num(v: Value) -> float:
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, float):
        return v
    return _str_to_num(v)


def _to_str(v: Value) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return _num_to_str(v)
    return v


def _to_bool(v: Value) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, float):
        return v != 0 and not math.isnan(v)
    return v != ""


def _answer_str(answer: object) -> str:
    if answer is None:
        return ""
    if isinstance(answer, str):
        return answer
    if isinstance(answer, bool):
        return "true" if answer else "false"
    if isinstance(answer, int):
        try:
            return str(answer)
        except ValueError:  # more digits than Python will print
            return "Infinity" if answer > 0 else "-Infinity"
    if isinstance(answer, float):
        return _num_to_str(answer)
    if isinstance(answer, Decimal):
        if answer.is_nan():
            return "NaN"
        if answer.is_infinite():
            return "Infinity" if answer > 0 else "-Infinity"
        if abs(answer.adjusted()) > 400:
            return _num_to_str(float(answer))
        return format(answer, "f")
    if isinstance(answer, _dt.datetime):
        return answer.date().isoformat()
    if isinstance(answer, _dt.date):
        return answer.isoformat()
    if isinstance(answer, (list, tuple)):
        return " ".join(s for s in (_answer_str(a) for a in answer) if s)
    return str(answer)


def _answer_value(answer: object) -> Value:
    if isinstance(answer, bool):
        return answer
    return _answer_str(answer)


# --------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------


class _Context:
    __slots__ = ("answers", "current", "today")

    def __init__(
        self, answers: Mapping[str, Answer], current: Answer, today: _dt.date | None
    ) -> None:
        self.answers = answers
        self.current = current
        self.today = today

    def today_text(self) -> str:
        today = self.today or _dt.date.today()
        if isinstance(today, _dt.datetime):
            today = today.date()
        return today.isoformat()


def _equals(a: Value, b: Value) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return _to_bool(a) == _to_bool(b)
    if isinstance(a, float) and isinstance(b, float):
        return a == b
    if isinstance(a, float) or isinstance(b, float):
        other = b if isinstance(a, float) else a
        number = _to_num(other)
        if not math.isnan(number):
            return _to_num(a) == _to_num(b)
    return _to_str(a) == _to_str(b)


def _div(x: float, y: float) -> float:
    if y == 0:
        if x == 0 or math.isnan(x):
            return math.nan
        return math.copysign(math.inf, x) * math.copysign(1.0, y)
    return x / y


def _mod(x: float, y: float) -> float:
    if math.isnan(x) or math.isnan(y) or math.isinf(x) or y == 0:
        return math.nan
    return math.fmod(x, y)


def _trunc(x: float) -> float:
    if not math.isfinite(x):
        return x
    r = float(math.trunc(x))
    return math.copysign(r, x) if r == 0 else r


def _increment(digits: str) -> str:
    return str(int(digits) + 1).zfill(len(digits)) if digits else "1"


def _round(x: float, places: float) -> float:
    if math.isnan(places):
        return math.nan
    if not math.isfinite(x):
        return x
    k = int(max(-400.0, min(400.0, places)))
    text = _num_to_str(x)
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    digits = whole + frac
    keep = len(whole) + k
    if keep < 0:
        return -0.0 if sign else 0.0
    if keep >= len(digits):
        return x
    head = digits[:keep]
    if digits[keep] >= "5":
        head = _increment(head)
    return float(f"{sign}{head or '0'}e{len(whole) - keep}")


def _tokens(v: Value) -> list[str]:
    return [t for t in _SPLIT_RE.split(_to_str(v)) if t]


_ARITHMETIC: Final = {
    "+": lambda x, y: x + y,
    "-": lambda x, y: x - y,
    "*": lambda x, y: x * y,
    "div": _div,
    "mod": _mod,
}


def _eval(node: Node, ctx: _Context) -> Value:
    if isinstance(node, (Number, String)):
        return node.value
    if isinstance(node, Ref):
        return _answer_value(ctx.answers.get(node.name))
    if isinstance(node, Current):
        return _answer_value(ctx.current)
    if isinstance(node, Neg):
        return -_to_num(_eval(node.operand, ctx))
    if isinstance(node, Call):
        return _call(node, ctx)
    op = node.op
    if op == "or":
        return _to_bool(_eval(node.left, ctx)) or _to_bool(_eval(node.right, ctx))
    if op == "and":
        return _to_bool(_eval(node.left, ctx)) and _to_bool(_eval(node.right, ctx))
    a, b = _eval(node.left, ctx), _eval(node.right, ctx)
    if op == "=":
        return _equals(a, b)
    if op == "!=":
        return not _equals(a, b)
    x, y = _to_num(a), _to_num(b)
    if op == "<":
        return x < y
    if op == "<=":
        return x <= y
    if op == ">":
        return x > y
    if op == ">=":
        return x >= y
    result: float = _ARITHMETIC[op](x, y)
    return result


def _call(node: Call, ctx: _Context) -> Value:
    name, args = node.name, node.args
    if name == "true":
        return True
    if name == "false":
        return False
    if name == "today":
        return ctx.today_text()
    if name == "if":
        return _eval(args[1] if _to_bool(_eval(args[0], ctx)) else args[2], ctx)
    if name == "coalesce":
        first = _eval(args[0], ctx)
        return first if _to_str(first) != "" else _eval(args[1], ctx)
    v = [_eval(a, ctx) for a in args]
    if name == "concat":
        return "".join(_to_str(x) for x in v)
    if name == "not":
        return not _to_bool(v[0])
    if name == "boolean":
        return _to_bool(v[0])
    if name == "number":
        return _to_num(v[0])
    if name == "string":
        return _to_str(v[0])
    if name == "int":
        return _trunc(_to_num(v[0]))
    if name == "round":
        return _round(_to_num(v[0]), _to_num(v[1]) if len(v) > 1 else 0.0)
    if name == "string-length":
        return float(len(_to_str(v[0])))
    if name == "count-selected":
        return float(len(_tokens(v[0])))
    if name == "selected":
        return _to_str(v[1]).strip(_WS) in _tokens(v[0])
    if name == "contains":
        return _to_str(v[1]) in _to_str(v[0])
    # starts-with (Call validated the name)
    return _to_str(v[0]).startswith(_to_str(v[1]))


def value(
    node: Node,
    answers: Mapping[str, Answer],
    current: Answer = None,
    *,
    today: _dt.date | None = None,
) -> Value:
    """Evaluate ``node`` and return its raw value: a ``float``, ``str`` or
    ``bool``. Field values are strings (see the module docstring);
    ``today()`` is ``today`` (default ``date.today()``) as ``'YYYY-MM-DD'``.
    Never raises for a valid tree."""
    return _eval(node, _Context(answers, current, today))


def evaluate(
    node: Node,
    answers: Mapping[str, Answer],
    current: Answer = None,
    *,
    today: _dt.date | None = None,
) -> bool:
    """Evaluate ``node`` and return the XPath ``boolean()`` of the result
    (non-zero non-NaN number, non-empty string, or the boolean itself).
    ``answers`` maps field names to :data:`Answer` (missing = unanswered);
    ``current`` is the value of ``.``. Never raises for a valid tree."""
    return _to_bool(value(node, answers, current, today=today))
