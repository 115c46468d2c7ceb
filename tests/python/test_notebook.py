"""The example notebook (examples/notebooks/exposure.ipynb) runs from top to bottom in a real
Jupyter kernel (nbclient) against the shared data set: it loads, assesses, filters and plots,
and its own last cell checks what it made. Its outputs are not committed."""

import os
import pathlib

import pytest

from conftest import needs

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "examples" / "notebooks" / "exposure.ipynb"


def test_the_notebook_is_committed_without_outputs():
    nbformat = needs("nbformat")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code, "the notebook has code"
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None, f"clear the outputs of: {cell.source[:60]!r}"


def test_the_notebook_runs_against_the_shared_data(shared, tmp_path, monkeypatch):
    nbformat, nbclient = needs("nbformat"), needs("nbclient")
    needs("matplotlib")
    needs("ipykernel")
    shared("data/debian-osv/debian-osv-cve-dpkg-status-sources.tar.gz")
    monkeypatch.setenv("EXPOSURE_NOTEBOOK_OUT", str(tmp_path))
    monkeypatch.setenv("EXPOSURE_SHARED_DIR", str(shared("data").parent))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    outputs = ["".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in cell.outputs)
               for cell in notebook.cells if cell.cell_type == "code"]
    assert any("findings, knowledge" in out for out in outputs)
    assert "'notebook ok'" in outputs[-1]
    plot = tmp_path / "exposure-findings.png"
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and plot.stat().st_size > 10_000
    assert not (NOTEBOOK.parent / "out").exists(), "the notebook wrote into the repository"
    assert os.environ["EXPOSURE_NOTEBOOK_OUT"] == str(tmp_path)
