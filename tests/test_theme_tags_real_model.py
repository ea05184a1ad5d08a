"""What a reader sees tagged, with the real model and the packaged taxonomy, on passages written for these tests."""

from __future__ import annotations

import pytest

from ingest.embedding import Embedder
from ingest.themes import ThemeTagger, load_themes

SAFER_SLEEP = "safer sleep and sudden infant death"


def _tags(real_embedder: Embedder, text: str) -> set[str]:
    tagger = ThemeTagger(load_themes(), real_embedder)
    return {tag.theme for tag in tagger.tag([text], real_embedder.encode([text]))[0]}


@pytest.mark.integration
@pytest.mark.parametrize(
    "text",
    [
        "At about three in the morning the father took the four-week-old baby into the adult bed to settle her. He "
        "had drunk most of a bottle of vodka that evening. When he woke the baby was not breathing.",
        "The mother had been drinking at a friend's house and fell asleep on the settee with the baby on her chest; "
        "no one had talked to her about bed-sharing or sofa-sharing after drinking.",
        "The twins usually slept in a cot in their parents' room, but on the night of the incident Baby T shared a "
        "bed with his mother, who had taken cannabis and drunk wine.",
    ],
)
def test_a_baby_sleeping_with_a_parent_who_had_been_drinking_is_tagged_safer_sleep(
    real_embedder: Embedder, text: str
) -> None:
    tags = _tags(real_embedder, text)
    assert SAFER_SLEEP in tags
    assert "substance misuse" in tags  # the drinking is a theme of its own
    assert not tags & {"child criminal exploitation", "radicalisation", "school exclusion"}


@pytest.mark.integration
@pytest.mark.parametrize(
    "text",
    [
        "The morning was cold and wet, with heavy rain across the county and strong winds until the late afternoon.",
        "The report was approved by the partnership board in May and will be published on its website in full.",
    ],
)
def test_a_passage_about_nothing_of_the_kind_is_tagged_with_no_theme(real_embedder: Embedder, text: str) -> None:
    assert _tags(real_embedder, text) == set()
