"""One refusal, ``ActionRefused(message)``, and the one place that shows it.

Every service refuses "you may not" and "not now" with ``ActionRefused``: the message is a Dutch
sentence (through gettext) for the person who tried. Who may do what is each app's ``access.py``;
a service asks it and raises this. ``ValidationError`` keeps what Django means by it: a value typed
in a form field is wrong (a date in the future, an empty reason), and a form usually said so first.

How a refusal reaches the person, decided here and nowhere else:

- A view with a form runs the service inside ``refusal_on_form(form)``: the refusal (or a
  ValidationError) becomes an error on the form, what was typed stays, and the view answers with
  the page again (400).
- A button that posts and redirects runs it inside ``refusal_as_message(request)``: the refusal
  becomes a message on the next page.
- A refusal nothing catches reaches ``ActionRefusedMiddleware``: a page in Dutch with the message,
  403. A refusal made with ``status=404`` is a 404 without the message: it is raised where the
  answer would tell whether something exists (a case the person may not see: the portal answers
  404, never 403, for those). ``status=410`` is a single-use link that is spent or expired; its
  page says how to get a new one.

Refusals with status 404 and 410 are never put on a form: they are about the page, not the input.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control

ANSWERS = (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND, HTTPStatus.GONE)


class ActionRefused(Exception):
    """You may not do this, or not now. ``message`` is Dutch, for the person; ``status`` is the
    page's answer when no form or message takes it: 403, 404 (whether it exists is not revealed)
    or 410 (a spent or expired link)."""

    def __init__(self, message: str, *, status: HTTPStatus = HTTPStatus.FORBIDDEN):
        if status not in ANSWERS:
            raise ValueError(f"A refusal answers 403, 404 or 410, not {status}.")
        super().__init__(message)
        self.message = str(message)
        self.status = HTTPStatus(status)

    @property
    def is_about_the_input(self) -> bool:
        """A 403 refusal can be shown beside what was typed; a 404 or 410 is the page's answer."""
        return self.status == HTTPStatus.FORBIDDEN


def _add_validation_error(form, error: ValidationError, field: str | None) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(field, error)


@contextmanager
def refusal_on_form(form, *, field: str | None = None) -> Iterator[None]:
    """Run a service call: a refusal, or a ValidationError, becomes an error on ``form``.

    On ``field`` when given (the refusal is about what was typed there), else on the whole form;
    a ValidationError that names fields goes to those of them the form has. Code after the call
    inside the block runs only when nothing was refused::

        if form.is_valid():
            with refusal_on_form(form):
                services.case_transition(case=case, to_state=..., by=request.user)
                return redirect(...)
        return render(..., status=400)
    """
    try:
        yield
    except ActionRefused as refused:
        if not refused.is_about_the_input:
            raise
        form.add_error(field, refused.message)
    except ValidationError as error:
        _add_validation_error(form, error, field)


@contextmanager
def refusal_as_message(request) -> Iterator[None]:
    """Run a service call behind a button: a refusal, or a ValidationError, becomes an error message
    shown on the next page. Code after the call inside the block runs only when nothing was refused."""
    try:
        yield
    except ActionRefused as refused:
        if not refused.is_about_the_input:
            raise
        messages.error(request, refused.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))


class ActionRefusedMiddleware:
    """A refusal no view caught: 403 with Django's 403 page (``403.html``, the message in Dutch);
    404 for ``status=404``, through Django's 404 page, so the answer is the same as for something
    that does not exist; 410 with ``410.html`` (a spent link and how to get a new one). Never cached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ActionRefused):
            return None
        if exception.status == HTTPStatus.NOT_FOUND:
            raise Http404 from exception
        if exception.status == HTTPStatus.FORBIDDEN:
            raise PermissionDenied(exception.message) from exception
        response = render(request, "410.html", {"message": exception.message}, status=exception.status)
        patch_cache_control(response, private=True, no_store=True)
        return response
