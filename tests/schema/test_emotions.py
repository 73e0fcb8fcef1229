"""The seven emotions are one fact that crosses HTTP: main_server sends one picture
per emotion to ai_server, ai_server answers scores keyed by its list, and the SPA
reads the schema's enum. Each service defines the list once; this checks they agree."""

from __future__ import annotations

import sys

import yaml

from scripts.procs import REPO


def test_main_server_ai_server_and_the_schema_list_the_same_emotions_in_the_same_order():
    sys.path.insert(0, str(REPO / "main_server"))
    try:
        from common.emotions import EMOTIONS as main_server
    finally:
        sys.path.remove(str(REPO / "main_server"))
    from ai_server.classifiers.base import EMOTIONS as ai_server

    schemas = yaml.safe_load((REPO / "docs" / "openapi.yaml").read_text())["components"]["schemas"]
    assert list(main_server) == list(ai_server)
    assert schemas["Emotion"]["enum"] == list(main_server)
    assert list(schemas["EmotionScores"]["properties"]) == list(main_server)
    assert list(schemas["TemplateImages"]["properties"]) == list(main_server)
