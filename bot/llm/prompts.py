"""Prompts are files: a TOML header, then a system and a user part with ${variables}."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from string import Template

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.errors import PromptError

_FRONT = re.compile(r"\A\+\+\+\n(?P<header>.*?)\n\+\+\+\n(?P<body>.*)\Z", re.DOTALL)
_PART = re.compile(r"^<<<(system|user)>>>$", re.MULTILINE)


class PromptHeader(BaseModel):
    """The header every prompt file starts with."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    version: str = Field(min_length=1)
    description: str = ""
    variables: frozenset[str]


@dataclass(frozen=True)
class Prompt:
    """A validated prompt, ready to render."""

    header: PromptHeader
    system: Template
    user: Template

    @property
    def name(self) -> str:
        """Return the prompt's name."""
        return self.header.name

    @property
    def version(self) -> str:
        """Return the prompt's version: part of every cache key."""
        return self.header.version

    def render(self, **variables: str) -> tuple[str, str]:
        """Render (system, user); a missing or unexpected variable is an error, not a blank."""
        given = set(variables)
        if missing := self.header.variables - given:
            raise PromptError(f"prompt {self.name!r}: missing variables {sorted(missing)}")
        if extra := given - self.header.variables:
            raise PromptError(f"prompt {self.name!r}: unexpected variables {sorted(extra)}")
        return self.system.substitute(variables), self.user.substitute(variables)


def parse_prompt(text: str, *, origin: str = "<string>") -> Prompt:
    """Parse and validate one prompt file's text."""
    match = _FRONT.match(text.replace("\r\n", "\n"))
    if not match:
        raise PromptError(f"{origin}: must start with a +++ TOML header +++")
    try:
        header = PromptHeader.model_validate(tomllib.loads(match["header"]))
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise PromptError(f"{origin}: bad header: {exc}") from None
    pieces = _PART.split(match["body"])
    parts = dict(zip(pieces[1::2], pieces[2::2], strict=True))
    if set(parts) != {"system", "user"} or len(pieces) != 5:  # noqa: PLR2004 - 2 parts
        raise PromptError(f"{origin}: needs exactly one <<<system>>> and one <<<user>>> part")
    system, user = Template(parts["system"].strip()), Template(parts["user"].strip())
    for label, template in (("system", system), ("user", user)):
        if not template.is_valid():
            raise PromptError(f"{origin}: invalid $$ placeholder in the {label} part")
    used = set(system.get_identifiers()) | set(user.get_identifiers())
    if undeclared := used - header.variables:
        raise PromptError(f"{origin}: variables used but not declared: {sorted(undeclared)}")
    if unused := header.variables - used:
        raise PromptError(f"{origin}: variables declared but not used: {sorted(unused)}")
    return Prompt(header=header, system=system, user=user)


def default_prompts_dir() -> Path:
    """Find prompts/: the checkout's, else the copy installed inside the package."""
    package = Path(__file__).resolve().parent.parent  # bot/
    checkout = package.parent / "prompts"
    if checkout.is_dir():
        return checkout
    return package / "prompts"


def load_prompts(directory: Path | None = None) -> dict[str, Prompt]:
    """Load and validate every prompts/*.md; fail at start-up, not mid-conversation."""
    folder = directory or default_prompts_dir()
    if not folder.is_dir():
        raise PromptError(f"PROMPTS_DIR: prompts directory not found: {folder}")
    prompts: dict[str, Prompt] = {}
    for path in sorted(folder.glob("*.md")):
        prompt = parse_prompt(path.read_text(encoding="utf-8"), origin=path.name)
        if prompt.name in prompts:
            raise PromptError(f"{path.name}: prompt name {prompt.name!r} is used twice")
        prompts[prompt.name] = prompt
    return prompts


def require(prompts: dict[str, Prompt], name: str) -> Prompt:
    """Return the named prompt or fail with the file that should exist."""
    try:
        return prompts[name]
    except KeyError:
        raise PromptError(f"prompt {name!r} not found (expected prompts/{name}.md)") from None
