"""`briefbot eval` as a user runs it: a real subprocess against the fake OpenAI-compatible server."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from bot.evaluation.corpus_model import load_corpus
from tests.briefbot_env import cli_env
from tests.e2e.test_cli import run
from tests.fake_llm import FakeLLM, Reply

SUBSET = [a.id for a in load_corpus(subset=True)[:3]]


def stance(quote: str, target: str) -> dict[str, Any]:
    return {"target": target, "position": "-", "polarity": "supports", "issue": target,
            "quote": quote}  # fmt: skip


def german(headline: str, statements: list[str], *actors: dict[str, Any]) -> dict[str, Any]:
    return {
        "headline": headline,
        "tldr": statements[0],
        "key_points": [{"text": s, "source": s} for s in statements],
        "why_it_matters": statements[-1],
        "language": "de",
        "topics": [],
        "places": [],
        "actors": list(actors),
    }


def actor(name: str, aliases: list[str], *stances: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "aliases": aliases, "kind": "person", "stances": list(stances)}


# The sanctions article: Fico's words relayed (via: own words) and a planted number in the
# headline ("99." for "20."). The Merz article: his own words, and the reporter's narration
# given to him as a quote. The North Korea article: no valid JSON, even after the repair.
SANCTIONS = german(
    "EU beschließt 99. Sanktionspaket gegen Russland",
    ["Die EU beschloss am Mittwoch ihr 20. Sanktionspaket gegen Russland.",
     "Das Paket richtet sich gegen 120 weitere Schiffe.", "Die Slowakei gab ihre Blockade auf."],
    actor("Robert Fico", ["Fico"], stance("Garantien für die Energieversorgung", "Sanktionen")),
)  # fmt: skip
MERZ = german(
    "Merz sagte der Ukraine drei Milliarden Euro Militärhilfe zu.",
    ["Merz sagte der Ukraine drei Milliarden Euro Militärhilfe zu.",
     "Merz traf Selenskyj am Mittwoch im Kanzleramt.",
     "Im Etat für 2027 sind elf Milliarden Euro für die Ukraine-Hilfe veranschlagt."],
    actor("Friedrich Merz", ["Merz", "Bundeskanzler"],
          stance("Wir lassen die Ukraine nicht im Stich", "Ukraine"),
          stance("Die Haushaltsmittel für die Ukraine-Hilfe sind im Etat für 2027", "Etat")),
)  # fmt: skip


@pytest.fixture
def env(tmp_path: Path, fake_llm: FakeLLM) -> dict[str, str]:
    made = cli_env(tmp_path, fake_llm)
    made.update(LLM_PRICE_PER_MTOK_IN="1", LLM_PRICE_PER_MTOK_OUT="2")
    return made


def test_eval_json_scores_the_scripted_answers(env: dict[str, str], fake_llm: FakeLLM) -> None:
    assert SUBSET[:2] == ["de-dpa-eu-russland-sanktionen-004", "de-dpa-merz-ukraine-001"]
    fake_llm.script(
        Reply(content=SANCTIONS), Reply(content=MERZ),
        Reply(content="not JSON at all"), Reply(content="still not JSON"),
    )  # fmt: skip
    result = run(["eval", "--yes", "--json", "--limit", "3"], env)
    assert result.returncode == 0, result.stderr
    assert "3 articles with fake-model" in result.stderr  # the estimate comes first
    out = json.loads(result.stdout)
    totals = out["totals"]
    assert [a["id"] for a in out["articles"]] == SUBSET
    assert (totals["schema_valid"], totals["articles"]) == (2, 3)
    assert totals["errors"] == {"invalid_output": 1}
    # Fico's relayed words and Merz's own count; the narration does not.
    assert (totals["own_words"], totals["stances"]) == (2, 3)
    assert totals["own_words_share"] < 1
    assert totals["provenance"] == {"direct": 1, "narration": 1, "via": 1}
    assert (totals["gold_agreed"], totals["gold_matched"]) == (3, 3)
    sanctions, merz, korea = out["articles"]
    assert sanctions["summary_failures"] == [{"field": "headline", "unsupported": ["99"]}]
    assert merz["summary_failures"] == []
    assert totals["summary_failures"] == 1
    # 100 + 50 tokens per call (the fake's default); the broken answer cost two calls.
    assert (korea["prompt_tokens"], korea["completion_tokens"]) == (200, 100)
    assert (totals["prompt_tokens"], totals["completion_tokens"]) == (400, 200)
    assert totals["cost_usd"] == pytest.approx((400 * 1 + 200 * 2) / 1e6)
    assert all(a["latency_s"] >= 0 for a in out["articles"])
    assert fake_llm.calls == 4
    assert not (Path(env["BOT_DATA_DIR"]) / "index.sqlite3").exists()  # the user's data untouched


def test_eval_text_prints_a_line_per_article_and_the_totals(
    env: dict[str, str], fake_llm: FakeLLM
) -> None:
    fake_llm.script(Reply(content="{}"), Reply(content=SANCTIONS))  # valid after the repair
    result = run(["eval", "--yes", "--limit", "1"], env)
    assert result.returncode == 0, result.stderr
    assert "valid (after a repair); own words 1/1" in result.stdout
    assert "summary fails: headline" in result.stdout
    assert "schema-valid answers: 1/1 (100%), 1 after a repair" in result.stdout
    assert "cost $0.0004" in result.stdout  # 200 + 100 tokens at $1 and $2 per million


def test_eval_refuses_without_yes_when_nobody_can_confirm(
    env: dict[str, str], fake_llm: FakeLLM
) -> None:
    result = run(["eval", "--limit", "2"], env, stdin="y\n")  # a pipe, not a terminal
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].endswith("add --yes.")
    assert fake_llm.calls == 0


def test_eval_without_a_model_says_what_to_set(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "LLM"))}
    env["BOT_DATA_DIR"] = str(tmp_path / "data")
    result = run(["eval", "--yes"], env)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "OPENAI_API_KEY" in result.stderr
    assert result.stdout == ""
