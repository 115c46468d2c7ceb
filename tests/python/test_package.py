"""The package's public surface is the compiled module's, name for name, plus its pure-Python
submodules."""

import types

import exposure
import exposure._exposure as compiled

# Submodules written in Python (`exposure/cvss.py`), exported next to the compiled names.
# `exposure.spark` is not among them: it needs pyspark, so it is imported only when asked for.
SUBMODULES = ["cvss"]


def test_package_reexports_exactly_the_compiled_modules_names():
    # `exposure/__init__.py` lists the names by hand for readers and type checkers; this
    # catches a class or function added in Rust but not re-exported (or a stale name).
    assert sorted(exposure.__all__) == sorted(compiled.__all__ + SUBMODULES)
    for name in SUBMODULES:
        assert isinstance(getattr(exposure, name), types.ModuleType), name
    for name in compiled.__all__:
        assert getattr(exposure, name) is getattr(compiled, name), name
