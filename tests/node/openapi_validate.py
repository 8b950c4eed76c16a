"""Checks HTTP exchanges against the OpenAPI 3.1 document that `traceport serve` publishes.

The end-to-end tests hand every request they send and every response they get to an
OpenApiValidator built from the node's /openapi.json, so the document and the node cannot
drift apart unnoticed: an undocumented path, status code, media type or body shape fails the
test that met it, with a message that names the operation, the status and the JSON Pointer of
the offending value.

Only the Python standard library and jsonschema are needed, and only jsonschema APIs that
Debian 12's python3-jsonschema (4.10) already has. References are not left to jsonschema:
every `$ref` into #/components is inlined into the schema that uses it, and a reference that
leads back into itself (a recursive schema) becomes a `$defs` entry of the compiled schema,
so each compiled schema stands alone and validates the same under any jsonschema version.

Public API:
    OpenApiError                      raised for a bad document or a failed exchange
    OpenApiValidator(doc)             checks the document on construction
      .find_operation(method, path)   -> (path_template, operation, path_params)
      .validate_request(method, path, query, headers, content_type, body_bytes)
      .validate_response(method, path, status, headers, content_type, body_bytes)
      .coverage()                     -> Coverage(requests, responses, statuses)
      .unexercised()                  -> operationIds that no exchange reached
      .operation_ids                  -> every operationId in the document
"""

from __future__ import annotations

import collections
import datetime
import json
import re
import urllib.parse
from typing import Any, Iterable, Mapping, NamedTuple

import jsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, best_match

__all__ = ["OpenApiError", "OpenApiValidator", "Coverage"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
DIALECT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
PARAM_LOCATIONS = ("query", "header", "path", "cookie")

# Header parameters that OpenAPI says are described elsewhere and must be ignored.
_IGNORED_HEADER_PARAMS = {"accept", "content-type", "authorization"}

# JSON Schema keywords whose values are schemas, lists of schemas, or maps of name -> schema.
# The inliner walks only these, so data such as `const`, `enum`, `default` and `examples` is
# copied untouched even when it happens to contain a "$ref" key.
_SUBSCHEMA_ONE = {
    "not",
    "if",
    "then",
    "else",
    "items",
    "contains",
    "additionalProperties",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
    "additionalItems",
}
_SUBSCHEMA_LIST = {"allOf", "anyOf", "oneOf", "prefixItems"}
_SUBSCHEMA_MAP = {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}

# Keys that hold example or literal data in OpenAPI objects and schemas; the document-wide
# reference check does not look inside them.
_DATA_KEYS = {"example", "const", "enum", "default", "value"}

_STATUS_KEY = re.compile(r"^(?:[1-5][0-9][0-9]|[1-5]XX|default)$")
_TEMPLATE_PARAM = re.compile(r"\{([^{}/]+)\}")
_MAX_MESSAGE = 300  # characters kept of one jsonschema message (they can quote whole bodies)


class OpenApiError(Exception):
    """The document is not usable, or an exchange does not match it."""


class Coverage(NamedTuple):
    """What the exchanges validated so far have reached."""

    requests: set  # operationIds whose request passed validate_request
    responses: set  # operationIds whose response passed validate_response
    statuses: dict  # operationId -> set of status codes (ints) seen in valid responses


# ---------------------------------------------------------------------------------------------
# Small helpers


def _pointer(parts: Iterable[Any]) -> str:
    """Formats path parts as an RFC 6901 JSON Pointer ("" is the whole document)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _shorten(text: str, limit: int = _MAX_MESSAGE) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _media_type(content_type: str | None) -> str:
    """The bare media type, lower-cased: 'Application/JSON; charset=utf-8' -> 'application/json'.

    Returns "" when there is no content type.
    """
    if not content_type:
        return ""
    return content_type.split(";", 1)[0].strip().lower()


def _split_target(target: str) -> tuple:
    """Splits a request target (or a full URL) into path and query: '/a?x=1#f' -> ('/a', 'x=1')."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", target):
        split = urllib.parse.urlsplit(target)
        return split.path or "/", split.query
    target = target.split("#", 1)[0]
    path, _, query = target.partition("?")
    return path, query


def _is_json_media(media: str) -> bool:
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def _lower_headers(headers: Any) -> dict:
    """Any mapping, message object or list of pairs -> {lower-case name: first value}."""
    out: dict = {}
    if headers is None:
        return out
    items = headers.items() if hasattr(headers, "items") else headers
    for name, value in items:
        out.setdefault(str(name).lower(), value)
    return out


def _schema_types(schema: Any) -> set:
    """The JSON types a (compiled) schema names, looking one level into allOf/anyOf/oneOf."""
    if not isinstance(schema, dict):
        return set()
    t = schema.get("type")
    types = {t} if isinstance(t, str) else set(t) if isinstance(t, list) else set()
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key, []) or []:
            if isinstance(sub, dict) and isinstance(sub.get("type"), (str, list)):
                st = sub["type"]
                types |= {st} if isinstance(st, str) else set(st)
    return types


def _coerce(value: str, schema: Any) -> Any:
    """Turns a parameter's string form into the type its schema asks for, when it can.

    A value that does not convert is returned unchanged, so that schema validation reports
    the type mismatch with the usual message.
    """
    types = _schema_types(schema)
    if not isinstance(value, str) or not types or "string" in types:
        return value
    if "integer" in types and re.fullmatch(r"[+-]?[0-9]+", value):
        return int(value)
    if "number" in types and re.fullmatch(
        r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?", value
    ):
        return float(value)
    if "boolean" in types and value in ("true", "false"):
        return value == "true"
    if "null" in types and value == "":
        return None
    return value


# Format checks for when jsonschema's optional helper packages are missing. They are deliberately
# plain: RFC 3339 date-time via the standard library, and "has a scheme" for uri.
_DATE_TIME = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})$"
)
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")


def _fallback_date_time(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        return False
    text = value.upper().replace("Z", "+00:00")
    text = text.replace(":60", ":59", 1) if re.search(r"T\d\d:\d\d:60", text) else text
    try:
        datetime.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _fallback_uri(value: Any) -> bool:
    return not isinstance(value, str) or bool(_URI.match(value))


def _make_format_checker() -> jsonschema.FormatChecker:
    """jsonschema's checker, plus our own date-time and uri checks where it has none."""
    checker = jsonschema.FormatChecker()
    if "date-time" not in checker.checkers:
        checker.checks("date-time")(_fallback_date_time)
    if "uri" not in checker.checkers:
        checker.checks("uri")(_fallback_uri)
    return checker


# ---------------------------------------------------------------------------------------------
# Reference resolution and schema compilation


def _resolve_local(doc: dict, ref: str) -> Any:
    """Finds the target of a "#/components/..." reference, or raises OpenApiError."""
    if not isinstance(ref, str) or not ref.startswith("#/components/"):
        raise OpenApiError(f"$ref {ref!r} is not a local reference into #/components/")
    node: Any = doc
    for raw in ref[2:].split("/"):
        part = urllib.parse.unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise OpenApiError(f"$ref {ref!r} does not resolve (no {part!r})")
    return node


def _follow_refs(doc: dict, node: Any, where: str) -> Any:
    """Follows a chain of Reference Objects to the object it ends at; rejects cycles."""
    seen = []
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen:
            raise OpenApiError(f"{where}: reference cycle {' -> '.join(seen + [ref])}")
        seen.append(ref)
        try:
            node = _resolve_local(doc, ref)
        except OpenApiError as e:
            raise OpenApiError(f"{where}: {e}") from None
    return node


class _SchemaCompiler:
    """Turns an OpenAPI schema with #/components references into a standalone schema."""

    def __init__(self, doc: dict):
        self.doc = doc

    def compile(self, schema: Any, where: str) -> Any:
        self._where = where
        self._defs: dict = {}
        self._names: dict = {}
        out = self._walk(schema, (), top=True)
        if self._defs:
            out = {"allOf": [out]} if isinstance(out, bool) else dict(out)
            merged = dict(out.get("$defs") or {})
            merged.update(self._defs)
            out["$defs"] = merged
        return out

    def _walk(self, node: Any, stack: tuple, top: bool = False) -> Any:
        if not isinstance(node, dict):
            return node  # booleans are schemas; anything else is left for check_schema to reject
        ref = node.get("$ref")
        if not isinstance(ref, str):
            return self._walk_keywords(node, stack, top)
        try:
            target = _resolve_local(self.doc, ref)
        except OpenApiError as e:
            raise OpenApiError(f"{self._where}: {e}") from None
        if ref in stack:
            # Recursion: refer to a $defs copy rather than inlining forever.
            resolved: Any = {"$ref": "#/$defs/" + self._define(ref, target)}
        else:
            resolved = self._walk(target, stack + (ref,))
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        if not siblings:
            return resolved
        # In 2020-12 "$ref" applies beside its siblings, exactly as one more allOf member does.
        rest = self._walk_keywords(siblings, stack, top)
        rest["allOf"] = [resolved] + list(rest.get("allOf") or [])
        return rest

    def _define(self, ref: str, target: Any) -> str:
        name = self._names.get(ref)
        if name is None:
            name = f"openapi-ref-{len(self._names)}"
            self._names[ref] = name
            self._defs[name] = True  # placeholder while the definition itself is compiled
            self._defs[name] = self._walk(target, (ref,))
        return name

    def _walk_keywords(self, node: dict, stack: tuple, top: bool) -> dict:
        out = {}
        for key, value in node.items():
            # Component schemas may carry their own $id/$schema; once inlined they would move the
            # base URI of everything below them, so only the outermost schema keeps them.
            if key in ("$id", "$schema") and not top:
                continue
            if key in _SUBSCHEMA_ONE and not isinstance(value, list):
                out[key] = self._walk(value, stack)
            elif (key in _SUBSCHEMA_ONE or key in _SUBSCHEMA_LIST) and isinstance(value, list):
                # (a list under a one-schema keyword is the pre-2020 array form of items)
                out[key] = [self._walk(v, stack) for v in value]
            elif key in _SUBSCHEMA_MAP and isinstance(value, dict):
                out[key] = {k: self._walk(v, stack) for k, v in value.items()}
            else:
                out[key] = value
        return out


def _check_schema(schema: Any, where: str) -> None:
    """Raises OpenApiError unless schema is a valid JSON Schema 2020-12 schema."""
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as e:
        raise OpenApiError(
            f"{where}: not a valid JSON Schema 2020-12 schema: {_shorten(e.message)} "
            f"(at schema location {_pointer(e.absolute_path) or '(root)'})"
        ) from None


# ---------------------------------------------------------------------------------------------
# Routes


class _Route:
    """One path template and method, with everything the validator needs about it."""

    def __init__(self, template: str, method: str, operation: dict, params: list):
        self.template = template
        self.method = method
        self.operation = operation
        self.operation_id = operation["operationId"]
        self.params = params  # resolved Parameter Objects, operation-level overriding path-level
        self.segments = template.split("/")
        self.patterns = []  # per segment: None for a literal, else (regex, [param names])
        self.rank = []  # per segment: 0 literal, 1 literal text around a param, 2 a bare param
        for seg in self.segments:
            names = _TEMPLATE_PARAM.findall(seg)
            if not names:
                self.patterns.append(None)
                self.rank.append(0)
                continue
            regex = "".join(
                "([^/]+)" if i % 2 else re.escape(piece)
                for i, piece in enumerate(_TEMPLATE_PARAM.split(seg))
            )
            self.patterns.append((re.compile(regex + r"\Z"), names))
            self.rank.append(2 if seg == "{" + names[0] + "}" else 1)

    @property
    def label(self) -> str:
        return f"{self.operation_id} ({self.method.upper()} {self.template})"

    def match(self, segments: list) -> dict | None:
        """Path parameters (percent-decoded) if the concrete segments fit this template."""
        if len(segments) != len(self.segments):
            return None
        params = {}
        for raw, literal, pattern in zip(segments, self.segments, self.patterns):
            if pattern is None:
                if raw != literal and urllib.parse.unquote(raw) != literal:
                    return None
                continue
            m = pattern[0].match(raw)
            if not m:
                return None
            for name, value in zip(pattern[1], m.groups()):
                params[name] = urllib.parse.unquote(value)
        return params


# ---------------------------------------------------------------------------------------------
# The validator


class OpenApiValidator:
    """Validates requests and responses against an OpenAPI 3.1 document (a parsed JSON dict)."""

    def __init__(self, doc: dict):
        if not isinstance(doc, dict):
            raise OpenApiError("the OpenAPI document must be a JSON object")
        self.doc = doc
        self._compiler = _SchemaCompiler(doc)
        self._validators: dict = {}  # id(schema) -> (schema, Draft202012Validator)
        self._format_checker = _make_format_checker()
        self._check_top_level()
        self._check_all_refs(doc, "#")
        self._routes = self._collect_routes()
        self._check_components()
        self._check_security()
        self._seen_requests: set = set()
        self._seen_responses: set = set()
        self._seen_statuses: dict = collections.defaultdict(set)

    # --- document checks ---------------------------------------------------------------------

    def _check_top_level(self) -> None:
        doc = self.doc
        version = doc.get("openapi")
        if not isinstance(version, str) or not re.fullmatch(r"3\.1(\.[0-9]+)?", version):
            raise OpenApiError(f"openapi must be a 3.1.x version string, got {version!r}")
        info = doc.get("info")
        if not isinstance(info, dict):
            raise OpenApiError("info must be an object")
        for key in ("title", "version"):
            if not isinstance(info.get(key), str):
                raise OpenApiError(f"info.{key} must be a string")
        if not isinstance(doc.get("paths"), dict):
            raise OpenApiError("paths must be an object")
        dialect = doc.get("jsonSchemaDialect", DIALECT_2020_12)
        if not isinstance(dialect, str) or dialect.rstrip("#") != DIALECT_2020_12:
            raise OpenApiError(f"jsonSchemaDialect {dialect!r} is not JSON Schema 2020-12")
        if "components" in doc and not isinstance(doc["components"], dict):
            raise OpenApiError("components must be an object")

    def _check_all_refs(self, node: Any, where: str) -> None:
        """Every string "$ref" anywhere outside example data must resolve inside the document."""
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                _follow_refs(self.doc, node, where)
            for key, value in node.items():
                if key in _DATA_KEYS or (key == "examples" and isinstance(value, list)):
                    continue
                self._check_all_refs(value, f"{where}/{_pointer([key])[1:]}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                self._check_all_refs(value, f"{where}/{i}")

    def _deref(self, node: Any, where: str) -> Any:
        return _follow_refs(self.doc, node, where)

    def _collect_routes(self) -> list:
        routes = []
        seen_ids: dict = {}
        shapes: dict = {}  # template with parameter names erased -> template
        for template, item in self.doc["paths"].items():
            if not isinstance(template, str) or not template.startswith("/"):
                raise OpenApiError(f"path {template!r} must start with '/'")
            if template.count("{") != template.count("}") or "{}" in template:
                raise OpenApiError(f"path {template!r} has a malformed {{parameter}}")
            # Templates that differ only in parameter names are the same path (OpenAPI 3.1 §4.8.8).
            shape = _TEMPLATE_PARAM.sub("{}", template)
            if shape in shapes:
                raise OpenApiError(
                    f"paths {shapes[shape]!r} and {template!r} are the same template"
                )
            shapes[shape] = template
            names = _TEMPLATE_PARAM.findall(template)
            if len(set(names)) != len(names):
                raise OpenApiError(f"path {template!r} names a parameter twice")
            item = self._deref(item, f"paths {template}")
            if not isinstance(item, dict):
                raise OpenApiError(f"paths {template}: a Path Item must be an object")
            shared = self._params(item.get("parameters", []), f"paths {template} parameters")
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                where = f"{method.upper()} {template}"
                op = item[method]
                if not isinstance(op, dict):
                    raise OpenApiError(f"{where}: the operation must be an object")
                op_id = op.get("operationId")
                if not isinstance(op_id, str) or not op_id:
                    raise OpenApiError(f"{where}: operationId is missing")
                if op_id in seen_ids:
                    raise OpenApiError(
                        f"operationId {op_id!r} is used by both {seen_ids[op_id]} and {where}"
                    )
                seen_ids[op_id] = where
                self._check_responses(op, f"{op_id} ({where})")
                merged = dict(shared)
                merged.update(
                    self._params(op.get("parameters", []), f"{op_id} ({where}) parameters")
                )
                declared = {name for (name, loc) in merged if loc == "path"}
                if declared != set(names):
                    raise OpenApiError(
                        f"{op_id} ({where}): path parameters {sorted(declared)} do not match the "
                        f"template's {sorted(names)}"
                    )
                if "requestBody" in op:
                    body = self._deref(op["requestBody"], f"{op_id} requestBody")
                    if not isinstance(body, dict) or not isinstance(body.get("content"), dict):
                        raise OpenApiError(f"{op_id} ({where}): requestBody needs a content object")
                routes.append(_Route(template, method, op, list(merged.values())))
        return routes

    def _params(self, params: Any, where: str) -> dict:
        if not isinstance(params, list):
            raise OpenApiError(f"{where}: parameters must be an array")
        out = {}
        for i, p in enumerate(params):
            p = self._deref(p, f"{where}/{i}")
            if not isinstance(p, dict) or not isinstance(p.get("name"), str):
                raise OpenApiError(f"{where}/{i}: a parameter needs a name")
            loc = p.get("in")
            if loc not in PARAM_LOCATIONS:
                raise OpenApiError(f"{where}: parameter {p['name']!r} has bad 'in' {loc!r}")
            if loc == "path" and p.get("required") is not True:
                raise OpenApiError(f"{where}: path parameter {p['name']!r} must be required: true")
            if ("schema" in p) == ("content" in p):
                raise OpenApiError(
                    f"{where}: parameter {p['name']!r} needs exactly one of schema, content"
                )
            key = (p["name"].lower() if loc == "header" else p["name"], loc)
            if key in out:
                raise OpenApiError(f"{where}: parameter {p['name']!r} in {loc} is listed twice")
            out[key] = p
        return out

    def _check_responses(self, op: dict, label: str) -> None:
        responses = op.get("responses")
        if not isinstance(responses, dict) or not responses:
            raise OpenApiError(f"{label}: responses must be a non-empty object")
        for code, response in responses.items():
            if not _STATUS_KEY.match(str(code)):
                raise OpenApiError(
                    f"{label}: {code!r} is not a status code, range (4XX) or 'default'"
                )
            response = self._deref(response, f"{label} response {code}")
            if not isinstance(response, dict):
                raise OpenApiError(f"{label} response {code}: must be an object")
            if "content" in response and not isinstance(response["content"], dict):
                raise OpenApiError(f"{label} response {code}: content must be an object")

    def _check_components(self) -> None:
        """Every schema in the document must be valid 2020-12, as written and compiled."""
        schemas = list(self._all_schemas())
        # As written first, so that a mistake is reported where it is rather than in the first
        # schema that happens to inline it.
        for where, schema in schemas:
            _check_schema(schema, where)
        for where, schema in schemas:
            self._validator_for(schema, where)

    def _all_schemas(self):
        """(where, schema) for every schema in components and in every operation."""
        comps = self.doc.get("components") or {}
        for name, schema in (comps.get("schemas") or {}).items():
            yield f"components/schemas/{name}", schema
        for name, p in (comps.get("parameters") or {}).items():
            yield from self._param_schemas(self._deref(p, name), f"components/parameters/{name}")
        for name, body in (comps.get("requestBodies") or {}).items():
            yield from self._content_schemas(
                self._deref(body, name), f"components/requestBodies/{name}"
            )
        for name, resp in (comps.get("responses") or {}).items():
            yield from self._response_schemas(
                self._deref(resp, name), f"components/responses/{name}"
            )
        for name, header in (comps.get("headers") or {}).items():
            yield from self._param_schemas(self._deref(header, name), f"components/headers/{name}")
        for route in self._routes:
            label = route.label
            for p in route.params:
                yield from self._param_schemas(p, f"{label} parameter {p['name']}")
            if "requestBody" in route.operation:
                body = self._deref(route.operation["requestBody"], label)
                yield from self._content_schemas(body, f"{label} requestBody")
            for code, resp in route.operation["responses"].items():
                yield from self._response_schemas(
                    self._deref(resp, label), f"{label} response {code}"
                )

    def _param_schemas(self, p: Any, where: str):
        if isinstance(p, dict):
            if "schema" in p:
                yield where, p["schema"]
            yield from self._content_schemas(p, where)

    def _content_schemas(self, holder: Any, where: str):
        content = holder.get("content") if isinstance(holder, dict) else None
        for media, mt in (content or {}).items() if isinstance(content, dict) else ():
            if isinstance(mt, dict) and "schema" in mt:
                yield f"{where} {media}", mt["schema"]

    def _response_schemas(self, resp: Any, where: str):
        if not isinstance(resp, dict):
            raise OpenApiError(f"{where}: a Response must be an object")
        yield from self._content_schemas(resp, where)
        for name, header in (resp.get("headers") or {}).items():
            yield from self._param_schemas(self._deref(header, where), f"{where} header {name}")

    def _check_security(self) -> None:
        """Security requirements must name declared schemes and, for OAuth 2, declared scopes."""
        schemes = ((self.doc.get("components") or {}).get("securitySchemes")) or {}
        requirements = [("document", self.doc.get("security", []))]
        requirements += [(r.label, r.operation.get("security", [])) for r in self._routes]
        for label, reqs in requirements:
            if not isinstance(reqs, list):
                raise OpenApiError(f"{label}: security must be an array")
            for req in reqs:
                if not isinstance(req, dict):
                    raise OpenApiError(f"{label}: each security requirement must be an object")
                for name, scopes in req.items():
                    scheme = self._deref(schemes.get(name), f"securitySchemes/{name}")
                    if not isinstance(scheme, dict):
                        raise OpenApiError(f"{label}: security scheme {name!r} is not declared")
                    if scheme.get("type") != "oauth2":
                        continue
                    known = set()
                    for flow in (scheme.get("flows") or {}).values():
                        known |= set((flow or {}).get("scopes") or {})
                    for scope in scopes:
                        if scope not in known:
                            raise OpenApiError(
                                f"{label}: scope {scope!r} is not declared by {name!r}"
                            )

    def _validator_for(self, schema: Any, where: str) -> Draft202012Validator:
        cached = self._validators.get(id(schema))
        if cached is not None:
            return cached[1]
        compiled = self._compiler.compile(schema, where)
        _check_schema(compiled, where)
        validator = Draft202012Validator(compiled, format_checker=self._format_checker)
        self._validators[id(schema)] = (schema, validator)  # holding schema keeps its id unique
        return validator

    # --- lookups -----------------------------------------------------------------------------

    @property
    def operation_ids(self) -> set:
        return {r.operation_id for r in self._routes}

    def _route(self, method: str, path: str) -> tuple:
        """The most specific route for method and path, with its path parameters."""
        path_only = _split_target(path)[0]
        segments = path_only.split("/")
        candidates = []
        for route in self._routes:
            params = route.match(segments)
            if params is not None:
                candidates.append((route.rank, route, params))
        with_method = [c for c in candidates if c[1].method == method.lower()]
        if not with_method:
            hint = ""
            if candidates:
                allowed = sorted({c[1].method.upper() for c in candidates})
                hint = f" (the path is documented for {', '.join(allowed)})"
            raise OpenApiError(f"no operation for {method.upper()} {path_only}{hint}")
        # Segment by segment, a literal beats literal-around-a-parameter beats a bare parameter.
        with_method.sort(key=lambda c: c[0])
        return with_method[0][1], with_method[0][2]

    def find_operation(self, method: str, path: str) -> tuple:
        """(path_template, operation object, {param: percent-decoded value}) for a request."""
        route, params = self._route(method, path)
        return route.template, route.operation, params

    # --- validation --------------------------------------------------------------------------

    def _schema_errors(self, schema: Any, instance: Any, where: str) -> str | None:
        """None if instance fits schema, else a message naming the JSON Pointer that failed."""
        validator = self._validator_for(schema, where)
        errors = list(validator.iter_errors(instance))
        if not errors:
            return None
        # best_match steps into oneOf/anyOf failures to the branch that came closest. The
        # deepest failures come first: they point at the value to fix, while shallower ones
        # (notably unevaluatedProperties in older jsonschema releases) are often consequences.
        errors = sorted((best_match([e]) for e in errors), key=lambda e: -len(e.absolute_path))
        parts = [
            f"at {_pointer(e.absolute_path) or '(root)'}: {_shorten(e.message)}" for e in errors[:3]
        ]
        if len(errors) > 3:
            parts.append(f"and {len(errors) - 3} more")
        return "; ".join(parts)

    def _check_params(self, route: _Route, path_params: dict, query: dict, headers: dict) -> None:
        for p in route.params:
            name, loc = p["name"], p["in"]
            if loc == "path":
                raw: Any = path_params.get(name)
            elif loc == "query":
                raw = query.get(name)
            elif loc == "header":
                if name.lower() in _IGNORED_HEADER_PARAMS:
                    continue
                raw = headers.get(name.lower())
            else:
                continue  # cookies are not used by the node
            if raw is None or raw == []:
                if p.get("required"):
                    raise OpenApiError(
                        f"{route.label} request: required {loc} parameter {name!r} is missing"
                    )
                continue
            where = f"{route.label} {loc} parameter {name!r}"
            if "schema" in p:
                schema = p["schema"]
                value = self._param_value(raw, p, self._validator_for(schema, where).schema, where)
            else:
                media, mt = next(iter(p["content"].items()))
                schema = (mt or {}).get("schema", True)
                text = raw[-1] if isinstance(raw, list) else raw
                try:
                    value = json.loads(text) if _is_json_media(_media_type(media)) else text
                except ValueError as e:
                    raise OpenApiError(f"{where}: not JSON ({e})") from None
            problem = self._schema_errors(schema, value, where)
            if problem:
                raise OpenApiError(f"{route.label} request: {loc} parameter {name!r} {problem}")

    @staticmethod
    def _param_value(raw: Any, p: dict, compiled: Any, where: str) -> Any:
        """A parameter's raw string(s) as the value its schema describes."""
        values = raw if isinstance(raw, list) else [raw]
        if "array" in _schema_types(compiled):
            # Query arrays default to style=form, explode=true (?tag=a&tag=b); path and header
            # arrays, and form arrays with explode=false, are comma-separated (tag=a,b).
            style = p.get("style", "form" if p["in"] == "query" else "simple")
            explode = p.get("explode", style == "form")
            if not explode:
                values = [piece for v in values for piece in str(v).split(",")]
            items = compiled.get("items", {}) if isinstance(compiled, dict) else {}
            return [_coerce(v, items) for v in values]
        if len(values) > 1:
            raise OpenApiError(f"{where}: given {len(values)} times but is not an array")
        return _coerce(values[0], compiled)

    def _check_body(
        self, label: str, content: dict, content_type: str | None, body: bytes, required: bool
    ) -> None:
        """Checks a body against a content map (media type -> Media Type Object).

        required: an empty body is an error when content is documented (responses always;
        requests when the requestBody says required: true).
        """
        body = body or b""
        if not body:
            if not content:
                return
            if not required:
                return
            declared = ", ".join(content)
            raise OpenApiError(f"{label}: body is empty but one of {declared} is required")
        if not content:
            raise OpenApiError(f"{label}: a {len(body)}-byte body was sent but none is documented")
        media = _media_type(content_type)
        if not media:
            raise OpenApiError(f"{label}: the body has no Content-Type")
        mt = self._media_entry(content, media)
        if mt is None:
            raise OpenApiError(
                f"{label}: content type {media!r} is not documented "
                f"(documented: {', '.join(content)})"
            )
        schema = mt.get("schema") if isinstance(mt, dict) else None
        where = f"{label} {media}"
        if _is_json_media(media):
            try:
                instance = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as e:
                raise OpenApiError(f"{label}: {media} body is not valid JSON ({e})") from None
        else:
            # Other media types (JWTs, plain text) are checked only against a string schema.
            compiled = self._validator_for(schema, where).schema if schema is not None else None
            if (
                schema is None
                or "string" not in _schema_types(compiled)
                or "contentEncoding" in compiled
            ):
                return
            try:
                instance = body.decode("utf-8")
            except UnicodeDecodeError:
                raise OpenApiError(f"{label}: {media} body is not UTF-8 text") from None
        if schema is None:
            return
        problem = self._schema_errors(schema, instance, where)
        if problem:
            raise OpenApiError(f"{label}: {media} body {problem}")

    @staticmethod
    def _media_entry(content: dict, media: str) -> Any:
        """The Media Type Object for media: exact key, then type/*, then */*."""
        by_media = {_media_type(k): v for k, v in content.items()}
        for key in (media, media.split("/", 1)[0] + "/*", "*/*"):
            if key in by_media:
                return by_media[key] if by_media[key] is not None else {}
        return None

    def validate_request(
        self,
        method: str,
        path: str,
        query: Mapping | None = None,
        headers: Any = None,
        content_type: str | None = None,
        body_bytes: bytes | None = b"",
    ) -> str:
        """Raises OpenApiError unless the request fits the document; returns the operationId.

        path may carry a query string, which is merged into query. query values are strings or
        lists of strings (as urllib.parse.parse_qs gives them). content_type defaults to the
        Content-Type found in headers.
        """
        route, path_params = self._route(method, path)
        merged_query = dict(query or {})
        qs = _split_target(path)[1]
        for name, values in urllib.parse.parse_qs(qs, keep_blank_values=True).items():
            merged_query.setdefault(name, values)
        lowered = _lower_headers(headers)
        if content_type is None:
            content_type = lowered.get("content-type")
        self._check_params(route, path_params, merged_query, lowered)
        label = f"{route.label} request"
        if "requestBody" in route.operation:
            spec = self._deref(route.operation["requestBody"], label)
            self._check_body(
                label,
                spec.get("content") or {},
                content_type,
                body_bytes,
                bool(spec.get("required")),
            )
        elif body_bytes:
            raise OpenApiError(
                f"{label}: a {len(body_bytes)}-byte body was sent but the operation takes none"
            )
        self._seen_requests.add(route.operation_id)
        return route.operation_id

    def validate_response(
        self,
        method: str,
        path: str,
        status: int,
        headers: Any = None,
        content_type: str | None = None,
        body_bytes: bytes | None = b"",
    ) -> str:
        """Raises OpenApiError unless the response fits the document; returns the operationId."""
        route, _ = self._route(method, path)
        responses = route.operation["responses"]
        status = int(status)
        # The exact code wins over its range (4XX), which wins over "default".
        key = next(
            (k for k in (str(status), f"{status // 100}XX", "default") if k in responses),
            None,
        )
        if key is None:
            raise OpenApiError(
                f"{route.label}: status {status} is not documented "
                f"(documented: {', '.join(map(str, responses))})"
            )
        label = f"{route.label} response {status}"
        response = self._deref(responses[key], label)
        lowered = _lower_headers(headers)
        if content_type is None:
            content_type = lowered.get("content-type")
        for name, header in (response.get("headers") or {}).items():
            if name.lower() == "content-type":
                continue
            header = self._deref(header, f"{label} header {name}")
            value = lowered.get(name.lower())
            if value is None:
                if header.get("required"):
                    raise OpenApiError(f"{label}: required header {name} is missing")
                continue
            if "schema" in header:
                where = f"{label} header {name}"
                compiled = self._validator_for(header["schema"], where).schema
                problem = self._schema_errors(header["schema"], _coerce(value, compiled), where)
                if problem:
                    raise OpenApiError(f"{label}: header {name} {problem}")
        content = response.get("content") or {}
        if method.lower() != "head":
            # An empty body is only acceptable where the response documents no content.
            self._check_body(label, content, content_type, body_bytes, required=True)
        self._seen_responses.add(route.operation_id)
        self._seen_statuses[route.operation_id].add(status)
        return route.operation_id

    # --- coverage ----------------------------------------------------------------------------

    def coverage(self) -> Coverage:
        """operationIds whose requests and responses have passed validation so far."""
        return Coverage(
            set(self._seen_requests),
            set(self._seen_responses),
            {k: set(v) for k, v in self._seen_statuses.items()},
        )

    def unexercised(self) -> set:
        """operationIds that neither a validated request nor a validated response reached."""
        return self.operation_ids - self._seen_requests - self._seen_responses
