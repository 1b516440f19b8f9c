"""A public function given the wrong kind of object says what it takes, instead of failing deep inside."""

from __future__ import annotations

from ..engine.value import Value


def expect_value(obj: object, function: str, example: str) -> Value:
    """Return `obj` if it is a Value; otherwise raise a TypeError that says what `function` takes.

    `example` is a call that works, e.g. "explain(f)"; the message adds a hint for the usual mistakes
    (a list of outputs, a plain number, a model instead of its output).
    """
    if isinstance(obj, Value):
        return obj
    kind = type(obj).__name__
    if isinstance(obj, (list, tuple, set, dict)):
        hint = f"pass one Value, not a {kind}: e.g. the loss, or each element in turn"
    elif isinstance(obj, (int, float, complex, str, bytes)) or obj is None:
        hint = "a plain number has no graph behind it: compute it from Values, e.g. Value(3.0) * 2"
    elif callable(obj):
        hint = "call it first to get its output Value, e.g. model(x) for a model"
    else:
        hint = "it must be the output of a computation on Values"
    shown = repr(obj)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    raise TypeError(f"{function} takes a Value, e.g. {example}; got {shown} ({kind}): {hint}")
