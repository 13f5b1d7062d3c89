"""Settings come from the environment with defaults that need nothing installed."""

from __future__ import annotations

from pathlib import Path

from ressenti.config import Settings, database_url


def test_embedded_default_is_sqlite_in_the_data_folder(tmp_path: Path) -> None:
    settings = Settings.from_env({"RESSENTI_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'ressenti.db'}"
    assert settings.is_sqlite
    assert settings.redis_url is None


def test_data_folder_follows_xdg_when_not_given() -> None:
    settings = Settings.from_env({"XDG_DATA_HOME": "/srv/data"})
    assert settings.data_dir == Path("/srv/data/ressenti")


def test_postgresql_urls_use_the_bundled_driver() -> None:
    assert database_url("postgresql://u@h:5432/db") == "postgresql+pg8000://u@h:5432/db"
    assert database_url("postgres://u@h/db") == "postgresql+pg8000://u@h/db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_allowed_origins_are_a_clean_list() -> None:
    settings = Settings.from_env({"RESSENTI_ALLOWED_ORIGINS": " https://a.example/ ,https://b.example,,"})
    assert settings.allowed_origins == ("https://a.example", "https://b.example")
