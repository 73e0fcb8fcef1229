"""What the pipeline stages raise when they cannot do their job. They know
nothing of HTTP: ai_server/errors.py alone maps each kind to a status
(BadInput → 400, ImageTooLarge → 413, ModelUnavailable → 503), and the CLI
prints them. `code` is the stable snake_case name the JSON error carries."""

from __future__ import annotations


class PipelineError(Exception):
    code = "pipeline_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class BadInput(PipelineError):
    """The input cannot be processed; sending it again will not help."""

    code = "bad_input"


class NotAnImage(BadInput):
    """Empty, not a picture in a supported format, or damaged (codes: empty_image,
    not_an_image, corrupt_image)."""

    code = "not_an_image"


class BadOverrides(BadInput):
    code = "bad_overrides"


class ImageTooLarge(PipelineError):
    """More pixels than the limit: refused from the header, before decoding."""

    code = "image_too_large"


class ModelUnavailable(PipelineError):
    """A model this input needs is not installed here; another server (or later) may do."""

    code = "model_unavailable"
