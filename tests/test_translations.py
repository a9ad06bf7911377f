"""The Romanian catalog is complete, compiled, faithful to its placeholders and to the source.

English needs no translation (the source strings are the English text), so its catalog only has
to be free of fuzzy entries; Romanian must translate every entry, in every plural form.
"""

import gettext
import re
import shutil
from functools import cache
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

SOURCE = Path(__file__).resolve().parents[1] / "cetate"
LOCALE = SOURCE / "locale"
CEDILLA_LETTERS = "şţŞŢ"

# %(name)s, %(n)d, %(seconds).1f, %s, and the escape %%.
PERCENT = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%%")
# Django template variables: {{ case.number }}, {{ value|date:"d.m.Y" }}.
TEMPLATE_VARIABLE = re.compile(r"\{\{\s*([\w.]+(?:\|[\w:\"'.]+)*)\s*\}\}")
# str.format fields: {number}, {0}, {}, {value!r}, {amount:.2f}.
BRACE_FIELD = re.compile(r"\{(\w*)(?:![rsa])?(?::[^{}]*)?\}")


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


@cache
def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(po_path(language)))


def entries(language: str) -> list[polib.POEntry]:
    return [entry for entry in catalog(language) if not entry.obsolete]


def label(entry: polib.POEntry) -> str:
    where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
    return f"{entry.msgid!r} ({where})" if where else repr(entry.msgid)


def placeholders(text: str, flags: list[str]) -> frozenset[str]:
    """Every placeholder of `text`: the parts a translation must keep, character for character.

    `%` starts a placeholder only in a python-format string. In a python-brace-format string
    `{{` and `}}` are escaped braces; elsewhere `{{ x }}` is a Django template variable.
    """
    found = set()
    if "python-format" in flags:
        found |= {match.group() for match in PERCENT.finditer(text)}
    if "python-brace-format" in flags:
        text = text.replace("{{", "").replace("}}", "")
    else:
        found |= {f"{{{{ {match.group(1)} }}}}" for match in TEMPLATE_VARIABLE.finditer(text)}
        text = TEMPLATE_VARIABLE.sub("", text)
    found |= {match.group() for match in BRACE_FIELD.finditer(text)}
    return frozenset(found)


def translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[form] for form in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def nplurals(language: str) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", catalog(language).metadata["Plural-Forms"])
    assert match, f"the {language} catalog has no Plural-Forms header"
    return int(match.group(1))


def test_romanian_catalog_translates_every_entry():
    ro = entries("ro")
    assert len(ro) > 100, "the Romanian catalog looks empty: run makemessages"
    assert catalog("ro").metadata.get("Language") == "ro"
    assert not catalog("ro").metadata_is_fuzzy, "the header of the Romanian catalog is fuzzy"
    fuzzy = [label(entry) for entry in ro if "fuzzy" in entry.flags]
    assert not fuzzy, "fuzzy Romanian entries:\n" + "\n".join(fuzzy)
    untranslated = [label(entry) for entry in ro if not entry.translated()]
    assert not untranslated, "untranslated Romanian entries:\n" + "\n".join(untranslated)
    forms = nplurals("ro")
    assert forms == 3, "Romanian has three plural forms (1, 2–19, 20 and more)"
    incomplete = [label(e) for e in ro if e.msgid_plural and len(e.msgstr_plural) != forms]
    assert not incomplete, f"plural entries without {forms} forms:\n" + "\n".join(incomplete)


def test_english_catalog_has_no_fuzzy_entry_and_the_same_messages():
    en = entries("en")
    assert not catalog("en").metadata_is_fuzzy, "the header of the English catalog is fuzzy"
    fuzzy = [label(entry) for entry in en if "fuzzy" in entry.flags]
    assert not fuzzy, "fuzzy English entries:\n" + "\n".join(fuzzy)
    english = {(e.msgctxt, e.msgid, e.msgid_plural) for e in en}
    romanian = {(e.msgctxt, e.msgid, e.msgid_plural) for e in entries("ro")}
    assert english == romanian, "run makemessages for both languages together"


@pytest.mark.parametrize("language", ["ro", "en"])
def test_compiled_catalog_matches_its_source(language):
    mo_path = po_path(language).with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run compilemessages"
    with mo_path.open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    plural_form = compiled.plural  # type: ignore[attr-defined]
    # One count per plural form, e.g. 1, 2 and 20 in Romanian.
    count_of_form: dict[int, int] = {}
    for n in range(200):
        count_of_form.setdefault(plural_form(n), n)
    expected_keys: set[object] = {""}
    differences = []
    for entry in entries(language):
        if not any(translations(entry)):
            continue  # left out of the .mo: gettext falls back to the msgid
        context = entry.msgctxt
        key = f"{context}\x04{entry.msgid}" if context else entry.msgid
        if entry.msgid_plural:
            expected_keys |= {(key, form) for form in entry.msgstr_plural}
            for form, n in sorted(count_of_form.items()):
                if context:
                    got = compiled.npgettext(context, entry.msgid, entry.msgid_plural, n)
                else:
                    got = compiled.ngettext(entry.msgid, entry.msgid_plural, n)
                if got != entry.msgstr_plural.get(form):
                    differences.append(f"{label(entry)}[{form}]: the .mo has {got!r}")
        else:
            expected_keys.add(key)
            got = (
                compiled.pgettext(context, entry.msgid)
                if context
                else compiled.gettext(entry.msgid)
            )
            if got != entry.msgstr:
                differences.append(f"{label(entry)}: the .mo has {got!r}")
    assert not differences, "run compilemessages; the .mo differs:\n" + "\n".join(differences)
    stale = set(compiled._catalog) - expected_keys  # type: ignore[attr-defined]
    assert not stale, f"the .mo holds messages the .po lacks: {sorted(map(str, stale))[:10]}"


def test_translations_keep_the_placeholders_of_the_source():
    mismatches = []
    for entry in entries("ro"):
        singular = placeholders(entry.msgid, entry.flags)
        plural = placeholders(entry.msgid_plural, entry.flags) if entry.msgid_plural else None
        for form, text in enumerate(translations(entry)):
            found = placeholders(text, entry.flags)
            if plural is None:
                allowed = [singular]
            elif form == 0:
                # The form for 1 may leave the number out: "o solicitare" for "%(n)d case".
                allowed = [singular, plural]
                allowed += [source - {one} for source in (singular, plural) for one in source]
            else:
                allowed = [plural]
            if found not in allowed:
                wanted = " or ".join(str(sorted(a)) for a in allowed)
                where = f"{label(entry)}[{form}]" if entry.msgid_plural else label(entry)
                mismatches.append(f"{where}: {sorted(found)}, expected {wanted}")
    assert not mismatches, "placeholders changed in translation:\n" + "\n".join(mismatches)


def test_romanian_uses_comma_below_not_cedilla():
    cedilla = [
        f"{label(entry)}: {text!r}"
        for entry in entries("ro")
        for text in translations(entry)
        if any(letter in text for letter in CEDILLA_LETTERS)
    ]
    assert not cedilla, "write ș ț Ș Ț (comma below), not ş ţ Ş Ţ:\n" + "\n".join(cedilla)


def _sources_only(directory: str, names: list[str]) -> set[str]:
    """Leave out what makemessages does not read, and the catalogs (copied separately)."""
    base = Path(directory)
    return {
        name
        for name in names
        if name in {"__pycache__", "locale"}
        or ((base / name).is_file() and Path(name).suffix not in {".py", ".html", ".txt"})
    }


def test_catalog_covers_every_translatable_string_of_the_source(tmp_path, settings, monkeypatch):
    missing_tools = [t for t in ("xgettext", "msgmerge", "msguniq") if not shutil.which(t)]
    if missing_tools:
        pytest.skip(
            f"GNU gettext is not installed ({', '.join(missing_tools)} missing): "
            "cannot extract the source strings to compare them with the catalog"
        )
    copy = tmp_path / "cetate"
    shutil.copytree(SOURCE, copy, ignore=_sources_only)
    shutil.copytree(LOCALE / "ro", copy / "locale" / "ro")
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["ro"], verbosity=0)
    extracted = polib.pofile(str(copy / "locale" / "ro" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgctxt, e.msgid, e.msgid_plural) for e in entries("ro")}
    new = sorted(
        label(entry)
        for entry in extracted
        if not entry.obsolete and (entry.msgctxt, entry.msgid, entry.msgid_plural) not in known
    )
    assert not new, (
        "strings missing from the catalogs; run `make messages` and translate them:\n"
        + "\n".join(new)
    )
