"""Reading a JSON file (a plan file) through the guarded opener, every failure an InputError.

JSON allows what Python cannot use as a plan's figure: `1e999` (infinity), `NaN`, integers of
thousands of digits, arrays nested beyond Python's recursion limit. Each is refused here, naming
the file, instead of surfacing later as a Python error.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from planner.errors import InputError, Issue
from planner.i18n import _
from planner.loaders.files import read_input

MOST_DIGITS = 18  # beyond any figure of a plan, and within the solver's 64-bit sums


class _Refused(ValueError):
    """A number the plan file may not hold, raised from the parser's hooks."""


def read_json(path: Path, limit: int | None = None) -> Any:
    """The JSON document at `path` (at most `limit` bytes); every problem names the file (exit 2)."""
    path = Path(path)
    data = read_input(path, path.name, limit)
    try:
        return json.loads(data.decode("utf-8-sig"), parse_int=_whole, parse_float=_finite, parse_constant=_constant)
    except UnicodeDecodeError:
        message = _("the file is not UTF-8 text.")
    except RecursionError:  # json reads nested arrays and objects recursively
        message = _("its values are nested too deeply.")
    except _Refused as exc:
        message = str(exc)
    except ValueError as exc:  # JSONDecodeError: its message names the line and column
        message = str(exc)
    raise InputError([Issue(path.name, _("this is not a plan file (JSON): {error}", error=message))])


def _whole(text: str) -> int:
    if len(text.lstrip("-")) > MOST_DIGITS:
        raise _Refused(_("a number of {count} digits is too large.", count=len(text.lstrip("-"))))
    return int(text)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(_("the number {value} is too large.", value=text[:40]))
    return value


def _constant(text: str) -> float:
    raise _Refused(_("{value} is not a number a plan file holds.", value=text))
