"""The Fetch-logs modal (bot.logs.render.fetch_modal): a dropdown of what the bot can read,
within Slack's limits for a static_select, else a field to type the name with why."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.logs.render import MAX_OPTIONS, fetch_modal


def service_element(view: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    [block] = [block for block in view["blocks"] if block["type"] == "input"
               and block["block_id"] != "lines"]
    return block["block_id"], block["element"]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_names_become_a_dropdown(lang: str) -> None:
    names = ["churn-scorer", "credit-ep", "credit-ep/blue"]
    block, element = service_element(fetch_modal("{}", lang, names=names))
    assert block == "service" and element["type"] == "static_select"
    assert [option["value"] for option in element["options"]] == names


def test_long_names_are_typed_and_too_many_names_make_a_field_with_the_reason() -> None:
    long_name = "e" * 200 + "/blue"  # over the 150 characters an option's value may hold
    _block, element = service_element(fetch_modal("{}", "en", names=["a-ep", long_name]))
    assert [option["value"] for option in element["options"]] == ["a-ep"]
    many = [f"ep-{number:03d}" for number in range(MAX_OPTIONS + 1)]
    view = fetch_modal("{}", "en", names=many)
    block, element = service_element(view)
    assert block == "service_name" and element["type"] == "plain_text_input"
    assert f"There are {MAX_OPTIONS + 1} services" in json.dumps(view)


@pytest.mark.parametrize(("names", "said"), [
    ([], "I found no services or endpoints"),
    (None, None),
])
def test_no_names_make_a_field(names: list[str] | None, said: str | None) -> None:
    view = fetch_modal("{}", "en", names=names)
    block, element = service_element(view)
    assert block == "service_name" and element["type"] == "plain_text_input"
    assert (said in json.dumps(view)) if said else view["blocks"][0]["type"] == "input"
