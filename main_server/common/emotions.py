"""The seven expressions, in the order every score dict, template and model uses.

main_server's one definition: models, serializers (and so the OpenAPI enum),
the AI client and the built-in templates read it from here. ai_server has its
own (ai_server/classifiers/base.py); tests/schema/test_emotions.py checks that
the two services and the committed schema agree."""

EMOTIONS: tuple[str, ...] = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
