"""Bad input gets a clear exception naming the value and the operation, never a silent NaN."""

import math

import pytest

from microgrboard import Value


@pytest.mark.parametrize("bad", ["1.0", None, 1 + 2j, [1.0], {"x": 1}])
def test_non_numbers_are_type_errors(bad):
    with pytest.raises(TypeError, match="expected a real number"):
        Value(bad)
    v = Value(1.0, label="v")
    for op in (lambda: v + bad, lambda: bad + v, lambda: v * bad, lambda: bad * v, lambda: v - bad,
               lambda: bad - v, lambda: v / bad, lambda: bad / v, lambda: v**bad, lambda: bad**v):
        with pytest.raises(TypeError, match=r"real number|unsupported operand"):
            op()


def test_the_message_names_the_value_and_what_to_do():
    with pytest.raises(TypeError) as info:
        Value(2.0, label="w0") * "3"
    assert "'3'" in str(info.value) and "w0" in str(info.value) and "float(x)" in str(info.value)


def test_label_must_be_a_string():
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=3)


@pytest.mark.parametrize("x", [0.0, -1.0, -1e-300])
def test_log_of_non_positive_is_a_value_error(x):
    with pytest.raises(ValueError, match=r"log\(.*\) is undefined") as info:
        Value(x, label="p").log()
    assert "label='p'" in str(info.value)


def test_division_by_zero():
    with pytest.raises(ZeroDivisionError, match="reciprocal"):
        1 / Value(0.0)
    with pytest.raises(ZeroDivisionError, match="reciprocal"):
        Value(1.0) / Value(0.0)
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        Value(1.0) / 0
    with pytest.raises(ZeroDivisionError):
        Value(0.0) ** -1


def test_exp_overflow_is_an_overflow_error_not_inf():
    with pytest.raises(OverflowError, match=r"exp\(1000.0\)") as info:
        Value(1000.0, label="z").exp()
    assert "709" in str(info.value)
    assert Value(709.0).exp().data < math.inf


@pytest.mark.parametrize(
    "make",
    [lambda: Value(1e200) * Value(1e200), lambda: Value(1.7e308) + Value(1.7e308), lambda: Value(1e200) ** 2,
     lambda: Value(10.0) ** Value(400.0), lambda: 1 / Value(1e-320), lambda: Value(1e300) / 1e-300],
)
def test_any_overflow_is_refused(make):
    with pytest.raises(OverflowError, match="too large"):
        make()


def test_value_exponent_needs_a_positive_base():
    for base in (0.0, -2.0):
        with pytest.raises(ValueError, match="base > 0"):
            Value(base) ** Value(2.0)
        with pytest.raises(ValueError, match="base > 0"):
            base ** Value(2.0)
    assert (Value(-2.0) ** 2).data == 4.0  # a number exponent is fine


def test_fractional_power_of_a_negative_number():
    with pytest.raises(ValueError, match="fractional exponent"):
        Value(-4.0) ** 0.5
    with pytest.raises(ZeroDivisionError, match="infinite derivative"):
        Value(0.0) ** 0.5


@pytest.mark.parametrize("special", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_policy_refuse_them_everywhere(special):
    """Documented policy: NaN and ±inf never enter a graph (ValueError), wherever they come from."""
    with pytest.raises(ValueError, match="refuses NaN and infinity"):
        Value(special)
    with pytest.raises(ValueError, match="refuses NaN and infinity"):
        Value(1.0) + special
    with pytest.raises(ValueError, match="refuses NaN and infinity"):
        Value(1.0) ** special


def test_nan_smuggled_into_data_is_caught_at_the_next_operation():
    p = Value(1.0, label="p")
    p.data = math.nan  # e.g. an optimizer step gone wrong
    with pytest.raises((ValueError, OverflowError)) as info:
        p * 2.0
    assert "label='p'" in str(info.value)


@pytest.mark.parametrize("op", [lambda p: p * 2.0, lambda p: p.tanh(), lambda p: p.sigmoid(), lambda p: p.relu(),
                                lambda p: p.exp(), lambda p: p + p])
def test_nan_in_data_is_a_value_error_for_every_primitive(op):
    p = Value(1.0, label="p")
    p.data = math.nan
    with pytest.raises(ValueError, match="NaN"):
        op(p)
