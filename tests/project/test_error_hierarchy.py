"""Every error the bot raises on purpose derives from one base in bot/errors.py."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from bot.errors import BriefbotError

PACKAGE = Path(__file__).resolve().parents[2] / "bot"


def public_error_classes() -> list[type[BaseException]]:
    """Import every public exception class defined under bot/."""
    found: list[type[BaseException]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and node.name.endswith("Error"):
                if node.name.startswith("_"):
                    continue  # private retry signals never leave their module
                cls = getattr(importlib.import_module(module), node.name)
                if isinstance(cls, type) and issubclass(cls, BaseException):
                    found.append(cls)  # not a data model named for one (PlantedClaim)
    return found


def test_every_public_error_derives_from_the_base() -> None:
    classes = public_error_classes()
    assert len(classes) > 10
    strays = [c.__qualname__ for c in classes if not issubclass(c, BriefbotError)]
    assert strays == []
