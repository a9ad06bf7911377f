from django.utils import translation


def pick_language(default: str, translations: dict[str, str]) -> str:
    """The text in the active language when one is given, else the default-language text."""
    language = (translation.get_language() or "ro").split("-")[0]
    return translations.get(language) or default
