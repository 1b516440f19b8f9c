"""The course's names, written as the slides write them: δ₂⁽³⁾, Θ₂₁⁽¹⁾, ℝ^{5×4}, D⁽¹⁾.

Layers are numbered from 1 (the input layer), units from 1 and the bias unit is unit 0, so Θⱼₖ⁽ˡ⁾ is
the weight from unit k of layer l to unit j of layer l + 1 and Θⱼ₀⁽ˡ⁾ is unit j's bias. When an index
has two digits the subscripts are written with a comma (Θ₁,₁₀⁽¹⁾), so that they read one way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TypeVar

_SUB = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")
_SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")

T = TypeVar("T")


def subscript(*indices: int) -> str:
    """₂₁ for (2, 1); ₁,₁₀ when an index has more than one digit."""
    parts = [str(i).translate(_SUB) for i in indices]
    return ("," if any(i >= 10 for i in indices) else "").join(parts)


def superscript(n: int | str) -> str:
    return str(n).translate(_SUP)


def layer_mark(l: int | str) -> str:
    """⁽³⁾: the layer, as the course writes it above a symbol."""
    return f"⁽{superscript(l)}⁾"


def course_name(symbol: str, l: int | str, *indices: int) -> str:
    """A matrix, vector or entry by its course name: course_name("Θ", 1) is Θ⁽¹⁾, course_name("δ", 3, 2)
    is δ₂⁽³⁾ and course_name("Θ", 1, 2, 0) is Θ₂₀⁽¹⁾ (unit 2's bias in layer 2)."""
    return f"{symbol}{subscript(*indices)}{layer_mark(l)}"


def real_space(*dims: int) -> str:
    """ℝ^{5×4}, or ℝ^{5} for a vector."""
    return "ℝ^{" + "×".join(str(d) for d in dims) + "}"


class CourseIndexError(KeyError, IndexError):
    """A layer or example number outside the course's range (they start at 1)."""

    def __str__(self) -> str:  # a KeyError would print its message in quotes
        return str(self.args[0])


class Numbered(Mapping[int, T]):
    """Items numbered as the course numbers them: layers l = 1 … L, examples i = 1 … m.

    `r.D[1]` is D⁽¹⁾ and `r.examples[1]` is the first example; iterating gives the numbers, as a
    dict does (`for l, D in r.D.items()`). Asking for a number the course does not use (0, or one
    past the end) raises an error that says which numbers there are.
    """

    def __init__(self, what: str, items: Mapping[int, T]) -> None:
        self.what = what
        self._items = dict(items)

    def __getitem__(self, n: int) -> T:
        try:
            return self._items[n]
        except (KeyError, TypeError):
            numbers = list(self._items)
            have = f"{numbers[0]} … {numbers[-1]}" if numbers else "none"
            hint = " (the course numbers from 1: the first is 1, not 0)" if n == 0 and 1 in self._items else ""
            raise CourseIndexError(f"{self.what} are numbered {have}, as the course numbers them; "
                                   f"got {n!r}{hint}") from None

    def __iter__(self) -> Iterator[int]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"<{self.what}: {', '.join(map(str, self._items))}>"
