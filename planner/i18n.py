"""The language of every label and message: gettext catalogs, compiled by Babel when first used.

Source strings are English and are marked with `_()` (or `ngettext()` for counts); each language
other than English is a folder `planner/locale/<lang>/LC_MESSAGES/` of `.po` files (one per part
of the tool, so parts can grow their catalogs independently). Adding a language means adding
such a folder, not code. Placeholders use `str.format` names: `_("{count} modules", count=3)`.

The language is set once per command (`use`) and read wherever text is made, so the domain
layer never needs to know it.
"""

from __future__ import annotations

import gettext
import io
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = Path(__file__).parent / "locale"
SOURCE_LANGUAGE = "en"
DEFAULT_LANGUAGE = "es"  # CONALEP's staff read Spanish


def languages() -> tuple[str, ...]:
    """English (the source) and every language with a catalog folder."""
    found = sorted(p.name for p in LOCALES.iterdir() if (p / "LC_MESSAGES").is_dir()) if LOCALES.is_dir() else []
    return (SOURCE_LANGUAGE, *(lang for lang in found if lang != SOURCE_LANGUAGE))


@cache
def translations(language: str) -> gettext.NullTranslations:
    """Every catalog of `language` chained into one; English is the source text itself."""
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    if language not in languages():
        raise ValueError(f"no translations for language '{language}'")
    chain: gettext.NullTranslations | None = None
    for po in sorted((LOCALES / language / "LC_MESSAGES").glob("*.po")):
        compiled = _compile(po)
        if chain is None:
            chain = compiled
        else:
            chain.add_fallback(compiled)
    return chain or gettext.NullTranslations()


def _compile(po: Path) -> gettext.GNUTranslations:
    with po.open("rb") as source:
        catalog = read_po(source, locale=po.parent.parent.name)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


_current: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def use(language: str) -> None:
    """Make `language` the language of every text made from now on in this context."""
    translations(language)  # fail early on a language without catalogs
    _current.set(language)


def current() -> str:
    return _current.get()


def _(message: str, /, **params: Any) -> str:
    """`message` in the current language, with `{name}` placeholders filled from `params`."""
    text = translations(_current.get()).gettext(message)
    return text.format(**params) if params else text


def ngettext(singular: str, plural: str, count: int, /, **params: Any) -> str:
    """The singular or plural form for `count` (available as `{count}`), in the current language."""
    text = translations(_current.get()).ngettext(singular, plural, count)
    return text.format(count=count, **params)
