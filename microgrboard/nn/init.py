"""Weight initialization, as the course teaches it: random numbers to break the symmetry.

If every weight starts at 0, every hidden unit computes the same function, receives the same δ and
the same update, and so stays identical forever ("symmetry"): the layer is as good as one unit.
Drawing each weight at random breaks the tie. Biases may start at 0.
"""

from __future__ import annotations

import numpy as np

# The course's default: each Θ_ij uniform in [−INIT_EPSILON, INIT_EPSILON].
INIT_EPSILON = 0.12
INITS = ("uniform", "normal", "zeros", "xavier", "he")


def check_init(init: str) -> str:
    """`init` if it names one of INITS, else a ValueError that lists them."""
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITS)}")
    return init


def initial_weights(init: str, n_out: int, n_in: int, rng: np.random.Generator,
                    epsilon: float = INIT_EPSILON) -> np.ndarray:
    """An (n_out, n_in) matrix of starting weights for one layer (biases start at 0 separately).

    uniform: U[−ε, ε] (the course's rand(…)·2ε − ε);  normal: randn·0.01 (small, so sigmoid and tanh
    start in their steep middle and do not saturate);  zeros: all 0 (to show the symmetry problem);
    xavier: U[±√(6/(n_in+n_out))] (Glorot);  he: randn·√(2/n_in) (for relu).
    """
    shape = (n_out, n_in)
    check_init(init)
    if init == "uniform":
        return rng.uniform(-epsilon, epsilon, size=shape)
    if init == "normal":
        return rng.standard_normal(shape) * 0.01
    if init == "zeros":
        return np.zeros(shape)
    if init == "xavier":
        limit = np.sqrt(6.0 / (n_in + n_out))
        return rng.uniform(-limit, limit, size=shape)
    return rng.standard_normal(shape) * np.sqrt(2.0 / n_in)  # he
