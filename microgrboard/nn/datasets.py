"""Small synthetic data sets, made with numpy from a seed, for the examples and the tests."""

from __future__ import annotations

import numpy as np

__all__ = ["VEHICLES", "make_circles", "make_moons", "make_regression", "make_spiral", "make_vehicles", "make_xor"]

VEHICLES = ("pedestrian", "car", "motorcycle", "truck")


def make_moons(n: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles: X (n × 2), y in {0, 1} (the classic two-moons problem)."""
    rng = np.random.default_rng(seed)
    n_top = n // 2
    t_top, t_bottom = np.linspace(0, np.pi, n_top), np.linspace(0, np.pi, n - n_top)
    top = np.c_[np.cos(t_top), np.sin(t_top)]
    bottom = np.c_[1 - np.cos(t_bottom), 0.5 - np.sin(t_bottom)]
    X = np.vstack([top, bottom]) + rng.normal(scale=noise, size=(n, 2))
    y = np.r_[np.zeros(n_top), np.ones(n - n_top)]
    order = rng.permutation(n)
    return X[order], y[order]


def make_vehicles(n: int = 200, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A 4-class problem in the course's style: X (n × 2: length, speed, scaled) and one-hot Y (n × 4)
    for pedestrian, car, motorcycle and truck, each class a noisy cluster."""
    rng = np.random.default_rng(seed)
    centres = np.array([[-1.2, -1.0], [0.3, 0.8], [-0.6, 1.2], [1.3, -0.2]])
    labels = rng.integers(0, len(VEHICLES), size=n)
    X = centres[labels] + rng.normal(scale=0.3, size=(n, 2))
    return X, np.eye(len(VEHICLES))[labels]


def make_regression(n: int = 40, noise: float = 0.05, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """y = sin(2x)/2 plus a little noise, for x in [−1.5, 1.5]: X (n × 1), y (n,)."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1.5, 1.5, size=n))
    return x[:, None], np.sin(2 * x) / 2 + rng.normal(scale=noise, size=n)


def make_circles(n: int = 200, noise: float = 0.08, factor: float = 0.5,
                 seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A small circle inside a large one: X (n × 2), y = 1 for the inner circle (radius `factor`)."""
    rng = np.random.default_rng(seed)
    n_outer = n // 2
    angles = rng.uniform(0, 2 * np.pi, size=n)
    radius = np.r_[np.ones(n_outer), np.full(n - n_outer, factor)]
    X = np.c_[radius * np.cos(angles), radius * np.sin(angles)] + rng.normal(scale=noise, size=(n, 2))
    y = np.r_[np.zeros(n_outer), np.ones(n - n_outer)]
    order = rng.permutation(n)
    return X[order], y[order]


def make_xor(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The four quadrants of [−1, 1]²: y = 1 where x1 and x2 have the same sign (XOR of their signs).
    Points keep a margin of 0.1 from the axes, and the noise is added after labelling."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(0.1, 1.0, size=(n, 2)) * rng.choice([-1.0, 1.0], size=(n, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(float)
    return X + rng.normal(scale=noise, size=(n, 2)), y


def make_spiral(n: int = 200, noise: float = 0.05, turns: float = 1.25,
                seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spiral arms around the origin, `turns` turns each, radius 0.1 to 1: X (n × 2),
    y the arm (0 or 1); the second arm is the first turned by half a turn."""
    rng = np.random.default_rng(seed)
    arm = np.r_[np.zeros(n // 2), np.ones(n - n // 2)]
    t = np.r_[np.linspace(0.0, 1.0, n // 2), np.linspace(0.0, 1.0, n - n // 2)]
    radius = 0.1 + 0.9 * t
    angle = 2 * np.pi * turns * t + np.pi * arm
    X = np.c_[radius * np.cos(angle), radius * np.sin(angle)] + rng.normal(scale=noise, size=(n, 2))
    order = rng.permutation(n)
    return X[order], arm[order]
