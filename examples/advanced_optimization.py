"""The course's "advanced optimization": unroll Θ into one vector and hand [J, gradient] to an
optimizer (fminunc in the course; here scipy's L-BFGS-B, which scipy must be installed for)."""

import argparse
import sys

from microgrboard.nn import MLP, accuracy, cost_and_grad, parameters_to_vector, vector_to_parameters
from microgrboard.nn.datasets import make_moons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args()  # it takes no arguments: --help, or a refusal of anything else
    try:
        from scipy.optimize import minimize
    except ImportError:
        sys.exit("this example needs scipy: pip install scipy (or pip install -e '.[examples]')")
    X, y = make_moons(n=100, noise=0.1, seed=0)
    model = MLP(2, [8, 1], activation="tanh", output_activation="sigmoid", seed=0)
    cost_function = cost_and_grad(model, X, y, loss="cross_entropy", lam=1e-3)
    initial_theta = parameters_to_vector(model)
    result = minimize(cost_function, initial_theta, jac=True, method="L-BFGS-B", options={"maxiter": 200})
    vector_to_parameters(result.x, model)
    print(f"L-BFGS-B: {result.nit} iterations, {result.nfev} cost evaluations")
    print(f"final loss {result.fun:.4f}")
    print(f"training accuracy {accuracy(model, X, y):.1%}")


if __name__ == "__main__":
    main()
