"""Where the repository's data folders (knowledge/, migrations/) are at run time."""

from __future__ import annotations

from pathlib import Path


def project_folder(name: str) -> Path:
    """A top-level folder of the repository, such as `knowledge` or `migrations`.

    From a checkout or an editable install it sits beside the `bot` package. A regular install
    (what Heroku-style builds do) puts the package in site-packages but runs the Procfile from
    the checkout, so the working directory comes next. When neither has it, the place beside the
    package is returned, so the caller's error names where it was expected.
    """
    beside_package = Path(__file__).resolve().parents[1] / name
    if beside_package.is_dir():
        return beside_package
    in_working_directory = Path.cwd() / name
    return in_working_directory if in_working_directory.is_dir() else beside_package
