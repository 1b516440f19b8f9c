"""The benchmark workloads, one engine per process: `python workloads.py ENGINE TASK [ARGS]` prints JSON.

ENGINE: microgrboard (the eager engine), compiled (microgrboard's batch compiler), micrograd
(karpathy's micrograd 0.1.0 from PyPI), numpy (a hand-vectorized reference). Every engine runs the
same arithmetic from the same starting weights, so their loss curves must agree.
"""

from __future__ import annotations

import gc
import json
import sys
import time
import tracemalloc

import numpy as np

SIZES = [2, 16, 16, 1]
ALPHA = 1e-4  # micrograd's demo: total = mean(relu(1 − y·score)) + 1e-4·Σ p²


def moons_data():
    from microgrboard.nn.datasets import make_moons

    X, y = make_moons(100, noise=0.1, seed=0)
    return X, 2.0 * y - 1.0  # labels −1 / +1 for the max-margin loss


def initial_parameters(seed: int = 1) -> list:
    """Starting weights shared by every engine: per layer, per neuron, weights then bias (bias 0)."""
    rng = np.random.default_rng(seed)
    theta = []
    for n_in, n_out in zip(SIZES, SIZES[1:]):
        for _ in range(n_out):
            theta += rng.uniform(-1, 1, size=n_in).tolist() + [0.0]
    return theta


def learning_rate(k: int) -> float:
    return 1.0 - 0.9 * k / 100  # micrograd's demo schedule


# --- the moons training step -----------------------------------------------------------------


def _demo_loop(forward, params, steps: int, zero_grad):
    """micrograd's demo training loop, for either scalar engine: `forward(row)` is the model's score."""
    X, y = moons_data()
    rows, labels = X.tolist(), y.tolist()
    losses, times = [], []
    for k in range(steps):
        start = time.perf_counter()
        scores = [forward(row) for row in rows]
        data_loss = sum((1 + -yi * s).relu() for yi, s in zip(labels, scores)) * (1.0 / len(rows))
        total = data_loss + ALPHA * sum(p * p for p in params)
        zero_grad()  # the engine's own: micrograd's loop, or microgrboard's model.zero_grad()
        total.backward()
        lr = learning_rate(k)
        for p in params:
            p.data -= lr * p.grad
        times.append(time.perf_counter() - start)
        losses.append(total.data)
        del total, data_loss, scores
    return losses, times


def moons_microgrboard(steps: int):
    from microgrboard.nn import MLP, vector_to_parameters

    model = MLP(2, SIZES[1:], activation="relu", output_activation="linear")
    vector_to_parameters(np.array(initial_parameters()), model)
    return _demo_loop(model, model.parameters(), steps, model.zero_grad)


def moons_micrograd(steps: int):
    from micrograd.engine import Value
    from micrograd.nn import MLP

    model = MLP(2, SIZES[1:])  # relu hidden layers, linear output: the demo's network
    for p, value in zip(model.parameters(), initial_parameters()):
        p.data = value
    return _demo_loop(lambda row: model(list(map(Value, row))), model.parameters(), steps, model.zero_grad)


def moons_numpy(steps: int):
    """The same step, vectorized by hand: forward, backward and update as matrix operations."""
    X, y = moons_data()
    theta = np.array(initial_parameters())
    shapes, k0 = [], 0
    for n_in, n_out in zip(SIZES, SIZES[1:]):
        shapes.append((k0, n_in, n_out))
        k0 += n_out * (n_in + 1)
    m = len(X)
    losses, times = [], []
    for k in range(steps):
        start = time.perf_counter()
        Ws = [theta[a:a + o * (i + 1)].reshape(o, i + 1) for a, i, o in shapes]  # rows: w..., b
        acts, pre = [X], []
        for l, W in enumerate(Ws):
            z = acts[-1] @ W[:, :-1].T + W[:, -1]
            pre.append(z)
            acts.append(np.maximum(z, 0.0) if l < len(Ws) - 1 else z)
        score = acts[-1][:, 0]
        margins = 1.0 - y * score
        total = np.maximum(margins, 0.0).sum() / m + ALPHA * np.dot(theta, theta)
        delta = (-(y * (margins > 0)) / m)[:, None]  # ∂J/∂score
        grads = [None] * len(Ws)
        for l in range(len(Ws) - 1, -1, -1):
            grads[l] = np.c_[delta.T @ acts[l], delta.sum(0)[:, None]]
            if l:
                delta = (delta @ Ws[l][:, :-1]) * (pre[l - 1] > 0)
        grad = np.concatenate([g.ravel() for g in grads]) + 2 * ALPHA * theta
        theta = theta - learning_rate(k) * grad
        times.append(time.perf_counter() - start)
        losses.append(float(total))
    return losses, times


def moons_compiled(steps: int):
    """The same step through the batch compiler: one example's loss, max-margin plus the penalty, is
    traced once (the penalty depends on no example, so the program computes it once per batch)."""
    from microgrboard import Value
    from microgrboard.nn import MLP, vector_to_parameters

    X, y = moons_data()
    model = MLP(2, SIZES[1:], activation="relu", output_activation="linear")
    vector_to_parameters(np.array(initial_parameters()), model)
    x1, x2, label = Value(0.0, label="x1"), Value(0.0, label="x2"), Value(1.0, label="y")
    example = (1 + -label * model([x1, x2])).relu() + ALPHA * sum(p * p for p in model.parameters())
    return compiled_sgd(example, [x1, x2, label], model.parameters(), np.column_stack([X, y]), steps)


def compiled_sgd(example, placeholders: list, params: list, batch: np.ndarray, steps: int, lr=None):
    """SGD on J = mean over the batch of `example` (one example's loss, traced with placeholders),
    through the batch compiler; the optimizer keeps the parameters as a vector and puts them back."""
    from microgrboard import compile_graph
    from microgrboard.extend import set_data, zero_grads

    program = compile_graph(example, placeholders)
    m = len(batch)
    theta = np.array([p.data for p in program.parameters])
    losses, times = [], []
    for k in range(steps):
        start = time.perf_counter()
        zero_grads(params)  # what model.zero_grad() does
        J = float(program.forward(batch).sum() / m)
        grad = program.backward(seed=1.0 / m)  # also added into each p.grad
        theta -= (learning_rate(k) if lr is None else lr) * grad
        set_data(program.parameters, theta)
        times.append(time.perf_counter() - start)
        losses.append(J)
    return losses, times


# --- a wider network: 64-128-128-10 on scikit-learn's 8×8 digits, softmax cross-entropy ---------

WIDE = [64, 128, 128, 10]
WIDE_LR = 0.1


def digits_data():
    from sklearn.datasets import load_digits

    digits = load_digits()
    return digits.data / 16.0, np.eye(10)[digits.target]  # pixels in [0, 1], one-hot targets


def wide_model():
    from microgrboard.nn import MLP

    return MLP(WIDE[0], WIDE[1:], activation="relu", output_activation="linear", init="he", seed=0)


def digits_compiled(steps: int):
    from microgrboard import Value
    from microgrboard.nn import softmax_cross_entropy

    X, Y = digits_data()
    model = wide_model()
    xs = [Value(0.0, label=f"x{j}") for j in range(WIDE[0])]
    ys = [Value(0.0, label=f"y{k}") for k in range(WIDE[-1])]
    example = softmax_cross_entropy([model(xs)], [ys])  # one example's −log softmax(z)[y]
    return compiled_sgd(example, xs + ys, model.parameters(), np.hstack([X, Y]), steps, lr=WIDE_LR)


def digits_numpy(steps: int):
    """The same step by hand: matrix products forward and back, softmax cross-entropy, SGD."""
    X, Y = digits_data()
    thetas = wide_model().weight_matrices()  # per layer (s_{l+1} × (1 + s_l)), bias column first
    m = len(X)
    losses, times = [], []
    for _ in range(steps):
        start = time.perf_counter()
        acts, pre = [X], []
        for l, T in enumerate(thetas):
            z = acts[-1] @ T[:, 1:].T + T[:, 0]
            pre.append(z)
            acts.append(np.maximum(z, 0.0) if l < len(thetas) - 1 else z)
        z = acts[-1]
        shift = z.max(axis=1, keepdims=True)
        e = np.exp(z - shift)
        log_sum = np.log(e.sum(axis=1, keepdims=True)) + shift
        J = -float((Y * (z - log_sum)).sum()) / m
        delta = (e / e.sum(axis=1, keepdims=True) - Y) / m  # ∂J/∂z
        for l in range(len(thetas) - 1, -1, -1):
            grad = np.c_[delta.sum(axis=0), delta.T @ acts[l]]
            if l:
                delta = (delta @ thetas[l][:, 1:]) * (pre[l - 1] > 0)
            thetas[l] = thetas[l] - WIDE_LR * grad
        times.append(time.perf_counter() - start)
        losses.append(J)
    return losses, times


# --- build + backward on a wide random graph ------------------------------------------------


def random_graph(Value, n_nodes: int, seed: int = 0):
    """Leaves in [−1, 1] and gates (a + b)·0.5, a·b and relu(a) on recent nodes: every value stays in
    [−1, 1]. Returns every node (leaves first) and the root, the sum of the last 100 nodes."""
    rng = np.random.default_rng(seed)
    n_leaves = 1000
    leaves = [Value(float(v)) for v in rng.uniform(-1, 1, n_leaves)]
    picks = rng.integers(1, 20_000, size=(n_nodes, 2)).tolist()  # a wide graph: inputs from far back
    kinds = rng.integers(0, 3, size=n_nodes).tolist()
    nodes = list(leaves)
    for (i, j), kind in zip(picks, kinds):
        a, b = nodes[-min(i, len(nodes))], nodes[-min(j, len(nodes))]
        nodes.append((a + b) * 0.5 if kind == 0 else a * b if kind == 1 else a.relu())
    root = nodes[-1]
    for node in nodes[-100:-1]:
        root = root + node
    return nodes, root


def value_class(engine: str):
    if engine == "micrograd":
        from micrograd.engine import Value
    else:
        from microgrboard import Value
    return Value


def graph_throughput(engine: str, n_nodes: int):
    Value = value_class(engine)
    start = time.perf_counter()
    nodes, root = random_graph(Value, n_nodes)
    built = time.perf_counter()
    root.backward()
    done = time.perf_counter()
    checksum = float(sum(node.grad for node in nodes[:1000]))  # the leaves' gradients
    return {"build_s": built - start, "backward_s": done - built, "nodes": n_nodes, "checksum": checksum}


def bytes_per_node(engine: str, n_nodes: int):
    """Memory the graph holds after backward, per node: everything allocated since the start, less the
    list that keeps every node alive (so nodes no path leads to from the root count too), with two
    attributes of the user's own on each of the 1,000 leaves."""
    Value = value_class(engine)
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    nodes, root = random_graph(Value, n_nodes, seed=1)
    for leaf in nodes[:1000]:  # an optimizer's state on the parameters (Adam's moments), as user code keeps it
        leaf.m, leaf.v = 0.0, 0.0
    root.backward()
    gc.collect()
    used = tracemalloc.get_traced_memory()[0] - base - sys.getsizeof(nodes)
    tracemalloc.stop()
    total = sum(isinstance(o, Value) for o in gc.get_objects())  # every node the engine made
    return {"bytes_per_node": used / total, "nodes": total}


def _chain_survives(Value, depth: int) -> bool:
    """Whether a chain x·1 + 0 + … of `depth` operations runs forward and backward."""
    x = Value(0.5)
    y = x
    for _ in range(depth // 2):
        y = y * 1.0 + 0.0
    try:
        y.backward()
    except RecursionError:
        return False
    return x.grad == 1.0


def deepest_chain(engine: str, limit: int):
    """The longest chain (to within 1 %) that survives at Python's default recursion limit, up to `limit`:
    grow ×10 until a chain fails, then bisect between the last success and the failure."""
    Value = value_class(engine)
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)  # Python's default, as users run it
    try:
        low, high = 0, min(1000, limit)
        while _chain_survives(Value, high):
            low = high
            if low == limit:
                return {"deepest": limit, "limit": limit}
            high = min(high * 10, limit)
        while high - low > max(10, low // 100):
            mid = (low + high) // 2
            low, high = (mid, high) if _chain_survives(Value, mid) else (low, mid)
        return {"deepest": low, "limit": limit}
    finally:
        sys.setrecursionlimit(previous)


TASKS = {
    "moons": {"microgrboard": moons_microgrboard, "micrograd": moons_micrograd, "numpy": moons_numpy,
              "compiled": moons_compiled},
    "digits": {"compiled": digits_compiled, "numpy": digits_numpy},
}


def main() -> None:
    engine, task, arg = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if task in ("moons", "digits"):
        losses, times = TASKS[task][engine](arg)
        print(json.dumps({"losses": losses, "times": times}))
    elif task == "graph":
        print(json.dumps(graph_throughput(engine, arg)))
    elif task == "memory":
        print(json.dumps(bytes_per_node(engine, arg)))
    elif task == "chain":
        print(json.dumps(deepest_chain(engine, arg)))
    else:
        raise SystemExit(f"unknown task {task!r}")


if __name__ == "__main__":
    main()
