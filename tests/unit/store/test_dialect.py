"""The SQLite fragments respelt for PostgreSQL, and nothing else touched."""

# ruff: noqa: S608 - SQL built from the module's own fragments, the subject of these tests

from __future__ import annotations

from bot.store.dialect import IN_JSON_LIST, JOIN_IN_ORDER, concat_all, indexed_by, postgresql


def test_a_json_list_parameter_becomes_jsonb_elements() -> None:
    sql = f"SELECT a FROM t WHERE b {IN_JSON_LIST}"
    assert (
        postgresql(sql) == "SELECT a FROM t WHERE b IN (SELECT jsonb_array_elements_text(?::jsonb))"
    )


def test_a_planner_hint_goes_and_a_join_in_order_is_a_join() -> None:
    sql = (f"SELECT m.a FROM mentions m {indexed_by('mentions_actor')} "
           f"{JOIN_IN_ORDER} chat_articles ca ON ca.h = m.h WHERE m.a = ?")  # fmt: skip
    assert postgresql(sql) == (
        "SELECT m.a FROM mentions m  JOIN chat_articles ca ON ca.h = m.h WHERE m.a = ?"
    )


def test_a_cross_join_without_on_stays_a_cross_join() -> None:
    sql = "SELECT 1 FROM a CROSS JOIN b WHERE a.x = b.x"
    assert postgresql(sql) == sql


def test_string_aggregation_keeps_its_expression_with_calls_inside() -> None:
    expression = "LOWER(COALESCE(x, '(')) || ')'"
    sql = f"SELECT {concat_all(expression)} FROM t GROUP BY y"
    assert postgresql(sql) == (
        "SELECT string_agg(LOWER(COALESCE(x, '(')) || ')', '') FROM t GROUP BY y"
    )


def test_portable_sql_passes_through_unchanged() -> None:
    sql = "INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT (a) DO UPDATE SET b = excluded.b"
    assert postgresql(sql) == sql
