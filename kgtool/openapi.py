"""An OpenAPI 3.1 description of the named-query API, generated from the ``#+`` headers of the ``.rq``
files, in the manner of grlc: each query is an operation ``GET /queries/{name}`` whose parameters are
the query's, typed (enumerations, integers, numbers, dates, versions), and whose answer's schema names
its columns and the type of each (an IRI, a language-tagged text, an ``xsd:decimal``...), so that the
queries can be called from any language and browsed in a standard API viewer. ``kgtool serve``
serves it at ``/openapi.json``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import formats
from .queries import COLUMN_TYPES, NamedQuery, Param, choices

__all__ = ["openapi_document", "column_schema", "param_schema", "RESULT_FORMATS"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
#: The ``format`` values of a named query and the media type of each: the SPARQL results formats of the registry.
RESULT_FORMATS = {fmt.name: fmt.media_type for fmt in formats.formats("results")}
#: The short names a ``format`` parameter takes for results and RDF (its aliases and media types aside).
_FORMAT_NAMES = ", ".join([*formats.names("results"), *(fmt.extension for fmt in formats.formats("rdf"))])
_PATTERNS = {
    "version": r"^\d+(\.\d+)?$",
    "integer": r"^[+-]?\d+$",
    "language": r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$",
}


def param_schema(param: Param) -> dict[str, Any]:
    """The JSON Schema of a parameter's value, as it is written in a URL.

    >>> param_schema(Param("lang", "lang", default="en"))
    {'type': 'string', 'enum': ['en', 'zh'], 'default': 'en'}
    >>> param_schema(Param("year", "integer"))
    {'type': 'integer'}
    """
    schema: dict[str, Any]
    closed = choices(param.type)
    if closed is not None:
        schema = {"type": "string", "enum": list(closed)}
    elif param.type == "integer":
        schema = {"type": "integer"}
    elif param.type == "decimal":
        schema = {"type": "number"}
    elif param.type == "date":
        schema = {"type": "string", "format": "date"}
    elif param.type == "version":
        schema = {"type": "string", "pattern": _PATTERNS["version"]}
    else:
        schema = {"type": "string"}
    if param.default is not None:
        schema["default"] = param.default
    return schema


def column_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one binding of a column of type ``kind`` in SPARQL JSON results.

    >>> column_schema("iri")["properties"]["type"]
    {'const': 'uri'}
    """
    if kind == "iri":
        properties: dict[str, Any] = {"type": {"const": "uri"}, "value": {"type": "string", "format": "iri"}}
        required = ["type", "value"]
    elif kind == "text":
        properties = {
            "type": {"const": "literal"},
            "value": {"type": "string"},
            # names are en or zh; a quote has its source's language (fr, ja...)
            "xml:lang": {"type": "string", "pattern": _PATTERNS["language"]},
        }
        required = ["type", "value", "xml:lang"]
    elif kind == "string":
        properties = {"type": {"const": "literal"}, "value": {"type": "string"}}
        required = ["type", "value"]
    else:
        value: dict[str, Any] = {"type": "string"}
        if kind == "integer":
            value["pattern"] = _PATTERNS["integer"]
        elif kind == "decimal":
            value["pattern"] = r"^[+-]?(\d+(\.\d*)?|\.\d+)$"
        elif kind == "boolean":
            value["enum"] = ["true", "false"]
        elif kind == "date":
            value["format"] = "date"
        properties = {"type": {"const": "literal"}, "datatype": {"const": _XSD + kind}, "value": value}
        required = ["type", "datatype", "value"]
    return {
        "type": "object",
        "description": COLUMN_TYPES[kind],
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _operation(query: NamedQuery) -> dict[str, Any]:
    parameters = []
    for p in query.params:
        parameter: dict[str, Any] = {
            "name": p.name,
            "in": "query",
            "required": p.required and p.default is None,
            "description": p.doc or p.describe(),
            "schema": param_schema(p),
        }
        if p.example is not None:
            parameter["example"] = p.example
        parameters.append(parameter)
    parameters.append({"$ref": "#/components/parameters/format"})
    bindings = {
        "type": "object",
        "properties": {
            c.name: {**column_schema(c.type), "description": f"{c.doc} ({COLUMN_TYPES[c.type]})"} for c in query.columns
        },
        "additionalProperties": False,
    }
    results = {
        "type": "object",
        "required": ["head", "results"],
        "properties": {
            "head": {
                "type": "object",
                "required": ["vars"],
                "properties": {"vars": {"type": "array", "const": [c.name for c in query.columns]}},
            },
            "results": {
                "type": "object",
                "required": ["bindings"],
                "properties": {"bindings": {"type": "array", "items": bindings}},
            },
        },
    }
    columns = ", ".join(f"{c.name} ({c.type})" for c in query.columns)
    table = {"type": "string", "description": f"A header line and one line per row; the columns: {columns}."}
    operation: dict[str, Any] = {
        "operationId": query.name.replace("-", "_"),
        "summary": query.summary,
        "description": query.description or query.summary,
        "parameters": parameters,
        "responses": {
            "200": {
                "description": f"The rows, with the columns {columns}.",
                "content": {
                    RESULT_FORMATS["json"]: {"schema": results},
                    RESULT_FORMATS["xml"]: {"schema": {"type": "string"}},
                    RESULT_FORMATS["csv"]: {"schema": table},
                    RESULT_FORMATS["tsv"]: {"schema": table},
                },
            },
            "400": {"$ref": "#/components/responses/BadRequest"},
            "406": {"$ref": "#/components/responses/NotAcceptable"},
            "503": {"$ref": "#/components/responses/Unavailable"},
        },
    }
    if query.tags:
        operation["tags"] = list(query.tags)
    return operation


def _sparql_operation() -> dict[str, Any]:
    """The operation ``GET /sparql``: any query, answered in every results and RDF format of the registry."""
    return {
        "operationId": "sparql",
        "summary": "Any SPARQL 1.1 query (SPARQL 1.1 Protocol; POST is accepted too)",
        "description": "The project's prefixes and the common ones are predeclared (see the service description).",
        "parameters": [
            {
                "name": "query",
                "in": "query",
                "required": True,
                "schema": {"type": "string"},
                "example": "SELECT ?version WHERE { ?v sz:versionNumber ?version } ORDER BY ?version",
            },
            {"name": "default-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
            {"name": "named-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
            {
                "name": "format",
                "in": "query",
                "schema": {"type": "string"},
                "description": f"A short name ({_FORMAT_NAMES}...) or a media type; "
                "otherwise the Accept header decides.",
            },
        ],
        "responses": {
            "200": {
                "description": "SPARQL results (SELECT, ASK) or RDF (CONSTRUCT, DESCRIBE).",
                "content": {
                    **{media: {"schema": {}} for media in RESULT_FORMATS.values()},
                    **{media: {"schema": {}} for media in formats.media_types("rdf")},
                },
            },
            "400": {"$ref": "#/components/responses/BadRequest"},
            "406": {"$ref": "#/components/responses/NotAcceptable"},
            "414": {
                "description": "The query string is too long: send the query with POST.",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            },
            "503": {"$ref": "#/components/responses/Unavailable"},
        },
    }


def openapi_document(
    queries: Mapping[str, NamedQuery], *, server_url: str | None = None, version: str | None = None
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the named queries (and of ``GET /sparql``), served from ``server_url``."""
    from . import __version__

    paths: dict[str, Any] = {f"/queries/{name}": {"get": _operation(q)} for name, q in sorted(queries.items())}
    paths["/sparql"] = {"get": _sparql_operation()}
    error = {"text/plain": {"schema": {"type": "string"}}}
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "sz20plus8 named queries",
            "version": version or __version__,
            "description": 'The named queries of the sz20plus8 knowledge graph of Shenzhen\'s "20+8" industrial '
            "policy, one operation per query: its parameters go in the query string, its rows come "
            "back as SPARQL results (JSON, XML, CSV or TSV, by the format parameter or the Accept "
            "header).",
            "license": {"name": "MIT (code); see LICENSE-DATA.md for the data", "identifier": "MIT"},
        },
        "paths": paths,
        "components": {
            "parameters": {
                "format": {
                    "name": "format",
                    "in": "query",
                    "required": False,
                    "description": "The format of the answer (otherwise the Accept header decides; JSON by default).",
                    "schema": {"type": "string", "enum": list(RESULT_FORMATS)},
                }
            },
            "responses": {
                "BadRequest": {"description": "A parameter is missing, unknown or not of its type.", "content": error},
                "NotAcceptable": {"description": "No format asked for is available.", "content": error},
                "Unavailable": {"description": "The query ran longer than the time limit.", "content": error},
            },
        },
    }
    if server_url:
        document["servers"] = [{"url": server_url}]
    tags = sorted({t for q in queries.values() for t in q.tags})
    if tags:
        document["tags"] = [{"name": t} for t in tags]
    return document
