"""The Alexa interaction models, one JSON file per locale, shipped as package data."""
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent


def model_path(locale: str) -> Path:
    return MODELS_DIR / f"{locale}.json"
