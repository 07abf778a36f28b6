"""Rounding to hundredths, exactly: integer ratios (`cents`) and floats
checked against the rounding boundary (`float_cents`). No Django."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from .lines import CENT

BOUNDARY = 1e-6  # in hundredths: float figures closer than this to x.xx5 are recomputed exactly


def cents(numerator: int, denominator: int) -> int:
    """numerator / denominator (denominator > 0) in hundredths, rounded half
    up (away from zero for negative values, as Decimal's ROUND_HALF_UP)."""
    sign = -1 if numerator < 0 else 1
    return sign * ((200 * abs(numerator) + denominator) // (2 * denominator))


def float_cents(value: float, exact) -> int:
    """`value` in hundredths, rounded half up (away from zero); within
    `BOUNDARY` of x.xx5, `exact()` (a Decimal) is rounded instead, in 50
    digits."""
    hundredths = value * 100
    if abs(abs(hundredths) % 1 - 0.5) < BOUNDARY:
        with localcontext() as ctx:
            ctx.prec = 50
            return int(exact().scaleb(2).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return int(Decimal(repr(value)).quantize(CENT, rounding=ROUND_HALF_UP).scaleb(2))


def decimal_of(value: Fraction) -> Decimal:
    """A Fraction as a Decimal (in the current context's precision)."""
    return Decimal(value.numerator) / Decimal(value.denominator)
