"""The notebooks run top to bottom on a headless kernel, and are committed clean (no outputs, no
functions or classes defined in them)."""

from __future__ import annotations

import ast
import subprocess
import sys
import time
from pathlib import Path

import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = ["1.0-explore-one-article.ipynb", "1.1-batch-scoring.ipynb", "1.2-model-evaluation.ipynb"]
MAX_SECONDS = 120  # each notebook takes well under a minute; this only catches runaway cells


def _read(name: str):
    import nbformat

    return nbformat.read(NOTEBOOK_DIR / name, as_version=4)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_committed_clean(name):
    nb = _read(name)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    for cell in code:
        assert cell.get("outputs") == [] and cell.get("execution_count") is None, (
            "clear outputs before committing"
        )
        tree = ast.parse(cell.source)  # plain Python: no magics
        defined = [
            type(n).__name__
            for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda)
        ]
        assert not defined, f"notebooks use the package, they define nothing: {defined} in\n{cell.source}"
    assert any("import pipeline" in c.source for c in code)


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    """Environment for a headless kernel: temporary Jupyter/IPython/Matplotlib dirs, the Agg backend, and a
    python3 kernelspec for this interpreter (installed into a temporary prefix when there is none)."""
    pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    base = tmp_path_factory.mktemp("jupyter")
    dirs = {
        "MPLCONFIGDIR": base / "mpl",
        "IPYTHONDIR": base / "ipython",
        "JUPYTER_RUNTIME_DIR": base / "runtime",
        "JUPYTER_DATA_DIR": base / "data",
        "JUPYTER_CONFIG_DIR": base / "config",
    }
    with pytest.MonkeyPatch.context() as mp:
        for key, path in dirs.items():
            path.mkdir()
            mp.setenv(key, str(path))
        mp.setenv("MPLBACKEND", "Agg")
        mp.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

        try:
            KernelSpecManager().get_kernel_spec("python3")
        except NoSuchKernel:
            prefix = base / "prefix"
            subprocess.run(
                [sys.executable, "-m", "ipykernel", "install", "--prefix", str(prefix)],
                check=True,
                capture_output=True,
                timeout=120,
            )
            mp.setenv("JUPYTER_PATH", str(prefix / "share" / "jupyter"))
            KernelSpecManager().get_kernel_spec("python3")
        yield base


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs(name, kernel_env, tmp_path):
    from nbclient import NotebookClient

    nb = _read(name)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    errors = [
        (i, o.get("ename"), o.get("evalue"))
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors
    assert seconds < MAX_SECONDS, f"{name} took {seconds:.0f} s"
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert html, "DataFrames and results display as HTML"
    if name.startswith("1.0"):
        assert any('class="cc-report"' in h and "cc-claim" in h for h in html)  # the rich article display
    assert not list(tmp_path.iterdir()) or all(p.name.startswith(".") for p in tmp_path.iterdir())
