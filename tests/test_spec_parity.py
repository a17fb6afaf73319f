"""The OpenAPI documents and the app's routes describe the same operations."""

from __future__ import annotations

import re

import yaml
from starlette.routing import Route

from emulator import create_app
from tests.conftest import SPECS

METHODS = {"get", "post", "put", "delete", "patch"}


def spec_operations() -> dict[tuple[str, str], str]:
    operations = {}
    for path in SPECS:
        document = yaml.safe_load(path.read_text())
        for template, item in document["paths"].items():
            for method, operation in item.items():
                if method in METHODS:
                    operations[(method.upper(), template)] = operation["operationId"]
    return operations


def app_operations() -> dict[tuple[str, str], str]:
    operations = {}
    for route in create_app().routes:
        assert isinstance(route, Route)
        template = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
        for method in route.methods or ():
            if method != "HEAD":
                operations[(method, template)] = route.name
    return operations


def test_every_route_is_in_the_spec_and_every_operation_is_served() -> None:
    spec, app = spec_operations(), app_operations()
    assert set(app) - set(spec) == set(), "routes missing from openapi/"
    assert set(spec) - set(app) == set(), "documented operations the app does not serve"


def test_route_names_are_the_operation_ids() -> None:
    spec, app = spec_operations(), app_operations()
    assert {key: app[key] for key in spec} == spec


def test_operation_ids_are_unique() -> None:
    ids = list(spec_operations().values())
    assert len(ids) == len(set(ids))
