"""Put this folder first on PYTHONPATH and every interpreter started with it behaves as if the
optional extra `[v1]` (azureml-core, Azure ML SDK v1) were not installed: Python imports
`sitecustomize` at start-up, and the finder below refuses every `azureml` module.
Used by tests/test_without_v1.py; cheaper than a second virtualenv without the 208 MB SDK."""

from __future__ import annotations

import sys
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType


class HideSdkV1(MetaPathFinder):
    def find_spec(self, name: str, path: object = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if name == "azureml" or name.startswith("azureml."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, HideSdkV1())
