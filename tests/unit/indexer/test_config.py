"""The configuration: committed file, documentation, strictness, environment overrides."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from indexer.config_file import load_settings
from indexer.errors import ConfigError
from indexer.settings import Settings, user_agent_problem

ROOT = Path(__file__).resolve().parents[3]
CONFIG = ROOT / "config.yaml"


def _leaf_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            keys += _leaf_keys(annotation, f"{prefix}{name}.")
        else:
            keys.append(f"{prefix}{name}")
    return keys


def _problems(exc_info: pytest.ExceptionInfo[ConfigError]) -> dict[str, str]:
    return dict(exc_info.value.problems)


def test_committed_config_is_valid_and_equals_defaults() -> None:
    loaded = load_settings(CONFIG, environ={})
    defaults = Settings()
    assert loaded.settings.model_dump(exclude={"storage"}) == defaults.model_dump(
        exclude={"storage"}
    )
    assert loaded.settings.storage.data_dir == ROOT / "data"


def test_every_key_is_documented_in_config_yaml() -> None:
    lines = CONFIG.read_text().splitlines()
    for dotted in _leaf_keys(Settings):
        *parents, key = dotted.split(".")
        indent = "  " * len(parents)
        pattern = re.compile(rf"^{indent}{key}:")
        matches = [i for i, line in enumerate(lines) if pattern.match(line)]
        assert matches, f"{dotted} is missing from config.yaml"
        above = lines[matches[0] - 1].strip()
        assert above.startswith("#"), f"{dotted} has no comment above it in config.yaml"


def test_every_field_has_a_description() -> None:
    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            assert info.description, f"{prefix}{name} has no description"
            if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
                walk(info.annotation, f"{prefix}{name}.")

    walk(Settings, "")


def test_misspelled_key_is_named_with_a_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("edgar:\n  max_request_per_second: 5\nelasticsearh:\n  url: ''\n")
    with pytest.raises(ConfigError) as exc_info:
        load_settings(path, environ={})
    problems = _problems(exc_info)
    assert "did you mean 'max_requests_per_second'" in problems["edgar.max_request_per_second"]
    assert "did you mean 'elasticsearch'" in problems["elasticsearh"]


@pytest.mark.parametrize("value", ["50", "10.5", "0", "-1", "fast"])
def test_rate_above_sec_limit_is_rejected_from_environment(value: str) -> None:
    with pytest.raises(ConfigError) as exc_info:
        load_settings(None, environ={"CORRESP__EDGAR__MAX_REQUESTS_PER_SECOND": value})
    message = _problems(exc_info)["edgar.max_requests_per_second"]
    assert "CORRESP__EDGAR__MAX_REQUESTS_PER_SECOND" in message


def test_environment_overrides_nested_keys_and_lists(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("edgar:\n  max_requests_per_second: 5\n")
    loaded = load_settings(
        path,
        environ={
            "CORRESP__EDGAR__MAX_REQUESTS_PER_SECOND": "7.5",
            "CORRESP__EDGAR__BASE_URLS__WWW": "http://127.0.0.1:8765/",
            "CORRESP__CRAWLER__FORMS": "upload, corresp",
            "CORRESP__ELASTICSEARCH__MANAGED__HTTP_PORT": "9999",
        },
    )
    settings = loaded.settings
    assert settings.edgar.max_requests_per_second == 7.5
    assert settings.edgar.base_urls.www == "http://127.0.0.1:8765"
    assert settings.crawler.forms == ["UPLOAD", "CORRESP"]
    assert settings.elasticsearch.managed.http_port == 9999
    assert loaded.env_keys["edgar.base_urls.www"] == "CORRESP__EDGAR__BASE_URLS__WWW"


def test_unknown_environment_variable_is_an_error() -> None:
    with pytest.raises(ConfigError) as exc_info:
        load_settings(None, environ={"CORRESP__EDGAR__USERAGENT": "x"})
    message = _problems(exc_info)["edgar.useragent"]
    assert "CORRESP__EDGAR__USERAGENT" in message
    assert "user_agent" in message


def test_environment_cannot_replace_a_whole_section() -> None:
    with pytest.raises(ConfigError) as exc_info:
        load_settings(None, environ={"CORRESP__EDGAR": "x"})
    assert "section" in _problems(exc_info)["edgar"]


def test_config_file_is_chosen_by_environment(tmp_path: Path) -> None:
    path = tmp_path / "other.yaml"
    path.write_text("api:\n  port: 8123\n")
    loaded = load_settings(None, environ={"CORRESP_CONFIG": str(path)})
    assert loaded.path == path
    assert loaded.settings.api.port == 8123


def test_relative_data_dir_is_relative_to_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "c.yaml"
    path.parent.mkdir()
    path.write_text("storage:\n  data_dir: ../state\n")
    assert load_settings(path, environ={}).settings.storage.data_dir == tmp_path / "state"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("edgar: [1, 2\n", "not valid YAML at line"),
        ("- a\n- b\n", "top level must be a mapping"),
    ],
)
def test_unreadable_files_are_explained(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as exc_info:
        load_settings(path, environ={})
    assert expected in _problems(exc_info)["(file)"]


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as exc_info:
        load_settings(tmp_path / "absent.yaml", environ={})
    assert "cannot read" in _problems(exc_info)["(file)"]


@pytest.mark.parametrize(
    ("user_agent", "ok"),
    [
        ("Example Research jane@example.org", True),
        ("Jane Doe <jane.doe@univ.edu>", True),
        ("", False),
        ("python-httpx/0.28", False),
        ("jane@example.org", False),
        ("Example Research jane@example", False),
    ],
)
def test_user_agent_policy(user_agent: str, ok: bool) -> None:
    assert (user_agent_problem(user_agent) is None) is ok


def test_invalid_user_agent_in_config_is_rejected() -> None:
    with pytest.raises(ConfigError) as exc_info:
        load_settings(None, environ={"CORRESP__EDGAR__USER_AGENT": "curl/8.0"})
    assert "e-mail" in _problems(exc_info)["edgar.user_agent"]


def test_secrets_are_not_shown_in_dumps() -> None:
    loaded = load_settings(None, environ={"CORRESP__ELASTICSEARCH__API_KEY": "s3cr3t-key"})
    assert loaded.settings.elasticsearch.api_key.get_secret_value() == "s3cr3t-key"
    assert "s3cr3t-key" not in repr(loaded.settings)
    assert "s3cr3t-key" not in str(loaded.settings.model_dump(mode="json"))


def test_index_prefix_must_be_a_valid_index_name() -> None:
    with pytest.raises(ConfigError) as exc_info:
        load_settings(None, environ={"CORRESP__ELASTICSEARCH__INDEX_PREFIX": "Bad Prefix"})
    assert "elasticsearch.index_prefix" in _problems(exc_info)


def test_email_settings_name_the_key_at_fault(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "alerts:\n  smtp:\n    host: smtp.example.org\n    daily_at: '7am'\n    security: ssl\n"
    )
    with pytest.raises(ConfigError) as exc_info:
        load_settings(path, environ={})
    problems = _problems(exc_info)
    assert "HH:MM" in problems["alerts.smtp.daily_at"]
    assert "starttls" in problems["alerts.smtp.security"]

    path.write_text("alerts:\n  smtp:\n    host: smtp.example.org\n")
    with pytest.raises(ConfigError) as exc_info:
        load_settings(path, environ={})
    assert "from_address is required" in _problems(exc_info)["alerts.smtp"]

    path.write_text(
        "watchlists:\n  - id: desk\n    name: Desk\n    ciks: [320193]\n"
        "    email: [desk@example.org]\n"
    )
    with pytest.raises(ConfigError) as exc_info:
        load_settings(path, environ={})
    (message,) = _problems(exc_info).values()
    assert "desk have e-mail addresses but alerts.smtp.host is not set" in message

    password = "smtp-password-never-shown"
    loaded = load_settings(
        path,
        environ={
            "CORRESP__ALERTS__SMTP__HOST": "smtp.example.org",
            "CORRESP__ALERTS__SMTP__FROM_ADDRESS": "corresp@example.org",
            "CORRESP__ALERTS__SMTP__USERNAME": "corresp",
            "CORRESP__ALERTS__SMTP__PASSWORD": password,
        },
    ).settings
    smtp = loaded.alerts.smtp
    assert smtp.password is not None and smtp.password.get_secret_value() == password
    assert password not in repr(loaded) and password not in str(loaded.model_dump())
    assert loaded.watchlists[0].email == ["desk@example.org"]


def test_impossible_index_shapes_name_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as exc_info:
        load_settings(None, environ={"CORRESP__ELASTICSEARCH__INDICES__COMMENTS__REPLICAS": "1"})
    message = _problems(exc_info)["elasticsearch.indices.comments.replicas"]
    assert (
        "single node" in message
        and "CORRESP__ELASTICSEARCH__INDICES__COMMENTS__REPLICAS" in message
    )
    path = tmp_path / "c.yaml"
    path.write_text("elasticsearch:\n  indices:\n    letters: {shards: 0}\n")
    with pytest.raises(ConfigError) as exc_info:
        load_settings(path, environ={})
    assert (
        "greater than or equal to 1" in _problems(exc_info)["elasticsearch.indices.letters.shards"]
    )
    on_cluster = load_settings(
        None,
        environ={
            "CORRESP__ELASTICSEARCH__URL": "http://search.example.org:9200",
            "CORRESP__ELASTICSEARCH__INDICES__LETTERS__REPLICAS": "2",
            "CORRESP__ELASTICSEARCH__INDICES__LETTERS__SHARDS": "3",
        },
    ).settings
    assert on_cluster.elasticsearch.indices.shapes("letters", "alerts") == {
        "letters": (3, 2),
        "alerts": (1, 0),
    }
