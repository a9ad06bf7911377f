"""Every command of Cetate explains itself with --help, in the operator's language."""

import pytest
from django.core.management import ManagementUtility, get_commands
from django.utils import translation

OURS = sorted(name for name, app in get_commands().items() if app.startswith("cetate."))


def test_cetate_has_commands():
    assert {"bench", "serve", "load_demo_cases", "import_directory"} <= set(OURS)


@pytest.mark.parametrize("name", OURS)
def test_help_prints_the_commands_description(name, capsys):
    with translation.override("ro"), pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", name, "--help"]).execute()
    assert exit_.value.code == 0
    printed = capsys.readouterr().out
    assert f"manage.py {name}" in printed
    assert "show this help message and exit" in printed
