"""The base of every input schema of the API, and the types its inputs share.

``InputSchema``: a field the schema does not name is refused (422 ``invalid_input``, "Extra inputs are
not permitted", at ``body.payload.<name>``), never silently dropped: ``{"expires_in_days": 7}`` sent for
``days`` would otherwise create a link with the default life. Query and form parameters are read field by
field by ninja (it never hands an undeclared one to the schema), so an unknown one stays ignored there;
the search refuses its own (``discovery.selectors.search_query_parse``).

``ApiId``: an id in a JSON body, a JSON integer only (``true`` is not account 1, ``"12"`` is not 12).

``OneOf``: a code from a list that lives elsewhere (a model's choices, a config file), checked like a
``Literal`` (422 ``literal_error`` naming the field and the allowed values) and listed as the field's
``enum`` in the OpenAPI schema.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Annotated, Any

from ninja import Schema
from pydantic import ConfigDict, Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema


class InputSchema(Schema):
    """What a client sends: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


ApiId = Annotated[int, Field(strict=True, ge=1)]


class OneOf:
    """``Annotated[str, OneOf(values)]``: one of ``values``, after ``normalise`` (e.g. ``str.upper``)."""

    def __init__(self, values: Iterable[str], *, normalise: Callable[[str], str] | None = None):
        self.values = tuple(values)
        self.normalise = normalise

    def _check(self, value: str) -> str:
        if self.normalise is not None:
            value = self.normalise(value.strip())
        if value not in self.values:
            raise PydanticCustomError(
                "literal_error",
                "Input should be {expected}",
                {"expected": ", ".join(repr(v) for v in self.values)},
            )
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> Any:
        return {**handler(schema), "enum": list(self.values)}
