"""The ``{id:eloqua}`` path convertor: Eloqua ids are positive 64-bit integers, so a path
id of more than 18 digits is simply not a resource (404), never a number SQLite cannot
bind (which would be a 500)."""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor


class EloquaId(Convertor[int]):
    regex = "[0-9]{1,18}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("eloqua", EloquaId())


BULK = "/api/bulk/2.0"


def bulk_path(template: str) -> str:
    """A Bulk route from a path written as Eloqua documents it (``/customObjects/{parentId}``):
    under the Bulk prefix, with every id through the ``eloqua`` convertor."""
    return BULK + template.replace("{parentId}", "{parentId:eloqua}").replace("{id}", "{id:eloqua}")
