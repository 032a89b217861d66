"""The API's errors: always JSON, `{"error": <code>, "message": <sentence>, "param": ...}`.

A request the API cannot answer says why in a sentence a person can act on (which parameter,
what it accepts), with a 400 or a 404, never a 500 and never Django's HTML error page.
"""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError


class ApiError(Exception):
    """A request the API refuses: `status` 400 (a bad parameter) or 404 (nothing public there)."""

    def __init__(self, message: str, *, param: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self.status = status

    @property
    def code(self) -> str:
        return "not_found" if self.status == 404 else "bad_request"


def not_found(message: str) -> ApiError:
    return ApiError(message, status=404)


def error_response(
    status: int, code: str, message: str, *, param: str | None = None, **extra: Any
) -> HttpResponse:
    body: dict[str, Any] = {"error": code, "message": message}
    if param:
        body["param"] = param
    body.update(extra)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )
    # An error answers this request only: no shared cache keeps it.
    response["Cache-Control"] = "no-store"
    return response


def _parameter(location: Any) -> str:
    """The parameter a pydantic error location names: ("query", "limit") -> "limit"."""
    parts = [str(part) for part in location if part not in ("query", "path")]
    return ".".join(parts)


def _validation_message(error: dict[str, Any]) -> tuple[str, str]:
    param = _parameter(error.get("loc", ()))
    text = str(error.get("msg", _("Invalid value.")))
    return param, (f"{param}: {text}." if param else f"{text}.").replace("..", ".")


def install(api: NinjaAPI) -> None:
    """Answer every error of `api` as JSON."""

    def api_error(request: HttpRequest, error: ApiError) -> HttpResponse:
        return error_response(error.status, error.code, error.message, param=error.param)

    def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
        details = [_validation_message(item) for item in error.errors]
        param, message = details[0] if details else ("", _("Invalid parameters."))
        return error_response(
            400,
            "bad_request",
            message,
            param=param or None,
            errors=[{"param": p, "message": m} for p, m in details],
        )

    def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        code = "not_found" if error.status_code == 404 else "bad_request"
        return error_response(error.status_code, code, str(error))

    api.add_exception_handler(ApiError, api_error)
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(HttpError, http_error)


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any other address under /api/: a JSON 404 naming where the API is described."""
    return error_response(
        404,
        "not_found",
        _(
            "No such API address. The endpoints are listed at /api/v1/docs and "
            "/api/v1/openapi.json."
        ),
    )
