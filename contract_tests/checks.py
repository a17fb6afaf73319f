"""Checks schemathesis runs on every response, beyond its own (no 5xx, status codes and
schemas as documented): what an Eloqua client relies on in every answer."""

from __future__ import annotations

from typing import Any

import schemathesis


def failures_of(response: Any) -> list[Any] | None:
    """The ``failures`` list of an error body, or None when the body is not JSON."""
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("failures") if isinstance(body, dict) else None


@schemathesis.check
def eloqua_failure_shape(ctx: schemathesis.CheckContext, response: Any, case: Any) -> bool:
    """A 400 or 409 explains itself as Eloqua does: ``{"failures": [{"field",
    "constraint", "value"?}]}``, at least one failure, ``field`` and ``constraint`` text.
    Other 4xx, when they carry ``failures``, use the same shape (a pod's 401/404 bodies
    are not documented)."""
    status = response.status_code
    if not 400 <= status < 500 or "/api/bulk/" not in case.path.lower():
        return True  # the OAuth endpoints answer RFC 6749's error shape
    failures = failures_of(response)
    if failures is None and status not in (400, 409):
        return True
    shown = f"{status}: {response.text[:300]!r}"
    assert isinstance(failures, list), f"no `failures` list in {shown}"
    assert failures, f"an empty `failures` list in {shown}"
    for failure in failures:
        assert isinstance(failure, dict), f"a failure is not an object: {failure!r}"
        assert isinstance(failure.get("field"), str), f"failure without `field`: {failure!r}"
        constraint = failure.get("constraint")
        assert isinstance(constraint, str), f"failure without `constraint`: {failure!r}"
        assert constraint, f"failure with an empty `constraint`: {failure!r}"
    return True


@schemathesis.check
def list_envelope(ctx: schemathesis.CheckContext, response: Any, case: Any) -> bool:
    """A 200 list answer is a consistent page: ``count`` items, no more than ``limit``,
    ``hasMore`` exactly when items remain after this page, ``offset`` as asked."""
    if response.status_code != 200:
        return True
    try:
        body = response.json()
    except ValueError:
        return True
    if not isinstance(body, dict) or "totalResults" not in body or "hasMore" not in body:
        return True
    items = body.get("items", [])
    count, limit, offset = body["count"], body["limit"], body["offset"]
    total = body["totalResults"]
    assert count == len(items), f"count {count} but {len(items)} items"
    assert count <= limit, f"{count} items over the limit {limit}"
    assert body["hasMore"] == (offset + count < total), (
        f"hasMore {body['hasMore']} with offset {offset}, count {count}, total {total}"
    )
    asked = (case.query or {}).get("offset")
    if isinstance(asked, int) and asked >= 0:
        assert offset == asked, f"asked offset {asked}, answered {offset}"
    return True


CHECKS = [eloqua_failure_shape, list_envelope]


def excluded_checks(case: Any) -> list[Any]:
    """schemathesis checks that cannot hold for this case.

    - ``positive_data_acceptance`` never: field statements, filters, ``q`` and ``orderBy``
      are checked against the site's catalog, which a schema cannot express; refusals must
      still be 400s in the failure shape (checked).
    - ``negative_data_rejection`` for the OAuth endpoints (RFC 6749 §3.1: a server ignores
      parameters it does not know) and for CSV bodies (any value schemathesis puts there is
      sent as text, and ``0`` or ``false`` is a valid CSV with a header and no rows).
    """
    excluded: list[Any] = [schemathesis.checks.positive_data_acceptance]
    if case.path.startswith("/auth/") or case.media_type == "text/csv":
        excluded.append(schemathesis.checks.negative_data_rejection)
    return excluded
