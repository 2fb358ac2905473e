"""Every secret setting can come from a file (`FAIRSTEAD_<NAME>_FILE`), as Docker and
Kubernetes secrets provide them."""

from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from domain.settings import SECRET_SETTINGS, Settings

VALUES = {
    "database_url": "postgresql+psycopg://fairstead:s3cret@db:5432/fairstead",
    "secret_key": "a-key-of-at-least-16-characters",
    "mqtt_url": "mqtt://fairstead:s3cret@broker:1883",
    "redis_url": "redis://:s3cret@redis:6379/0",
}


def _plain(value: object) -> object:
    return value.get_secret_value() if isinstance(value, SecretStr) else value


@pytest.mark.parametrize("name", SECRET_SETTINGS)
def test_a_secret_setting_is_read_from_its_file_without_the_trailing_newline(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / name
    secret.write_text(VALUES[name] + "\n")
    monkeypatch.setenv(f"FAIRSTEAD_{name.upper()}_FILE", str(secret))
    monkeypatch.delenv(f"FAIRSTEAD_{name.upper()}", raising=False)
    assert _plain(getattr(Settings(), name)) == VALUES[name]


def test_every_setting_holding_a_secret_has_a_file_variant() -> None:
    secret_typed = {
        name
        for name, field in Settings.model_fields.items()
        if "SecretStr" in str(field.annotation)
    }
    assert secret_typed <= set(SECRET_SETTINGS)
    assert set(VALUES) == set(SECRET_SETTINGS)


def test_the_variable_and_its_file_together_are_refused_without_showing_either(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "key"
    secret.write_text("from-the-file-0123456789")
    monkeypatch.setenv("FAIRSTEAD_SECRET_KEY", "from-the-environment-0123")
    monkeypatch.setenv("FAIRSTEAD_SECRET_KEY_FILE", str(secret))
    with pytest.raises(ValidationError) as caught:
        Settings()
    text = str(caught.value)
    assert "not both" in text
    assert "from-the-environment" not in text and "from-the-file" not in text


def test_a_missing_file_says_which_variable_and_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAIRSTEAD_REDIS_URL_FILE", str(tmp_path / "absent"))
    with pytest.raises(ValidationError, match="FAIRSTEAD_REDIS_URL_FILE: cannot read"):
        Settings()
