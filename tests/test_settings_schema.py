"""Every plugin's settings are a declared schema (plugins/blogcore/config.py): every mistake
of every plugin in one report, one error root the tools catch, never a traceback."""

import pytest
from blogcore.config import Option, OptionError, Schema, check_plugin_settings, whole_number
from blogcore.errors import PipelineError, SettingsError
from blogcore.problems import ContentProblems
from editorial.settings import SettingsError as EditorialSettingsError
from fastbuild.settings import FastbuildSettingsError
from redirects.settings import RedirectsSettingsError
from security_headers.settings import SecurityHeadersSettingsError
from support import minimal_files, run_build_cli, write_site
from syndication.settings import SettingsError as SyndicationSettingsError

from tools.build import load_settings

BAD_SETTINGS = {
    "EDITORIAL_WORDS_PER_MINUTE": "0",
    "FASTBUILD_WORKERS": "'all'",
    "REDIRECTS_NGINX_FILE": "'conf/redirects.conf'",
    "SECURITY_HEADERS_HTST": "'max-age=1'",
    "SYNDICATION_ITEM_LIMT": "5",
}


def test_every_plugins_mistakes_are_in_one_report_and_nothing_is_built(tmp_path):
    content = write_site(tmp_path, minimal_files())
    settings = tmp_path / "settings.py"
    lines = "".join(f"{name} = {value}\n" for name, value in BAD_SETTINGS.items())
    settings.write_text(f"from pelicanconf import *\nPATH = {str(content)!r}\n{lines}")
    result = run_build_cli("--settings", str(settings), "--output", str(tmp_path / "output"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "Setting 'EDITORIAL_WORDS_PER_MINUTE': expected a whole number from 1, got 0",
        "Setting 'REDIRECTS_NGINX_FILE': expected a plain file name at the output root, got 'conf/redirects.conf'",
        "Setting 'SYNDICATION_ITEM_LIMT': unknown setting; did you mean 'SYNDICATION_ITEM_LIMIT'?",
        "Setting 'SECURITY_HEADERS_HTST': unknown setting; did you mean 'SECURITY_HEADERS_HSTS'?",
        "Setting 'FASTBUILD_WORKERS': expected a whole number from 1, or None, got 'all'",
        "The previous output is unchanged.",
    ]
    assert not (tmp_path / "output").exists()


def test_the_real_settings_pass_every_schema():
    settings = load_settings("pelicanconf.py", {"PLUGINS": [*load_settings("pelicanconf.py")["PLUGINS"], "fastbuild"]})
    check_plugin_settings(settings)  # raises on any mistake


@pytest.mark.parametrize(
    "error",
    [
        EditorialSettingsError,
        FastbuildSettingsError,
        RedirectsSettingsError,
        SecurityHeadersSettingsError,
        SyndicationSettingsError,
        ContentProblems,
    ],
)
def test_one_error_root_for_every_mistake_a_person_can_fix(error):
    assert issubclass(error, PipelineError)


def test_a_schema_reports_every_wrong_and_unknown_setting_with_its_default_elsewhere():
    def even(value):
        if value % 2:
            raise OptionError(f"expected an even number, got {value!r}")
        return value

    schema = Schema(
        "DEMO_",
        {"DEMO_SIZE": whole_number(4), "DEMO_PAIR": Option(2, even), "DEMO_KEPT": Option("x")},
        checks=(lambda merged, settings: [] if merged["DEMO_SIZE"] < 10 else ["Setting 'DEMO_SIZE': too big"],),
    )
    assert schema.load({}) == {"DEMO_SIZE": 4, "DEMO_PAIR": 2, "DEMO_KEPT": "x"}
    with pytest.raises(SettingsError) as raised:
        schema.load({"DEMO_SIZE": 0, "DEMO_PAIR": 3, "DEMO_SIZ": 1})
    assert str(raised.value).splitlines() == [
        "Setting 'DEMO_SIZ': unknown setting; did you mean 'DEMO_SIZE'?",
        "Setting 'DEMO_SIZE': expected a whole number from 1, got 0",
        "Setting 'DEMO_PAIR': expected an even number, got 3",
    ]
    with pytest.raises(SettingsError, match="too big"):
        schema.load({"DEMO_SIZE": 12})
