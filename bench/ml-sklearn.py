#!/usr/bin/python3
"""Times scikit-learn's fits for bench/ml.bench.ts on the same data and settings; prints JSON.

Data loading and the split come from test/fixtures/ml/make-fixtures.py, so both sides fit the very
same rows. Each entry reports the best of `repeats` fits in seconds, after one untimed fit.
"""
import importlib.util
import json
import os
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
spec = importlib.util.spec_from_file_location("fixtures", os.path.join(ROOT, "test", "fixtures", "ml", "make-fixtures.py"))
fixtures = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fixtures)

from sklearn.cluster import KMeans  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402


def best_of(fn, repeats):
    fn()  # warm-up, untimed (as the TypeScript side)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    name = sys.argv[1] if len(sys.argv) > 1 else "digits"
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    x, y = fixtures.load(name)
    xs = fixtures.standardize(x)
    train, _ = fixtures.test_rows(len(y))
    out = {
        "KMeans": best_of(lambda: KMeans(n_clusters=10, n_init=10, random_state=0).fit(x), repeats),
        "PCA": best_of(lambda: PCA(n_components=10, svd_solver="full").fit(x), repeats),
        "LogisticRegression": best_of(lambda: LogisticRegression(C=0.1, max_iter=1000).fit(xs, y), repeats),
        "HistGradientBoostingClassifier": best_of(lambda: HistGradientBoostingClassifier(early_stopping=False).fit(x[train], y[train]), min(repeats, 2)),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
