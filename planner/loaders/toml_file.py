"""Reading a TOML file (a scenario, a rollout) through the guarded opener, every failure an InputError."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from planner.errors import InputError, Issue
from planner.i18n import _
from planner.loaders.files import read_input


def read_toml(path: Path, limit: int, missing: str | None = None) -> dict[str, Any]:
    """The TOML document at `path` (at most `limit` bytes); every problem names the file (exit 2)."""
    path = Path(path)
    data = read_input(path, path.name, limit, missing)
    try:
        # utf-8-sig: Windows editors may start the file with a byte-order mark, which is not TOML.
        return tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise _refused(path, _("the file is not UTF-8 text; save it as UTF-8.")) from None
    except RecursionError:  # tomllib reads nested arrays and inline tables recursively
        raise _refused(path, _("this is not valid TOML: its values are nested too deeply.")) from None
    except ValueError as exc:  # TOMLDecodeError, or a number too long for Python to convert
        # tomllib's message ends with "(at line L, column C)", which is where the user must look.
        first = str(exc).strip().split("\n", 1)[0].removesuffix(".")
        raise _refused(path, _("this is not valid TOML: {exc}.", exc=first)) from None


def _refused(path: Path, message: str) -> InputError:
    return InputError([Issue(path.name, message)])
