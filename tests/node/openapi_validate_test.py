#!/usr/bin/env python3
"""Self-test of the OpenAPI exchange validator and the test HTTP client.

A small OpenAPI 3.1 document built here stands in for the node's: it has $ref components
(schemas, parameters, request bodies, responses, headers), a recursive schema, path parameters,
a required JSON body, a JWT body, and problem+json error responses. Each check feeds the
validator one good or one deliberately bad exchange. The client is tested against a tiny
http.server that serves that document's API from a thread.

Usage: python3 tests/node/openapi_validate_test.py
"""

import copy
import http.server
import json
import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from api_client import ApiClient, Headers, raw_request, slow_send, status_of  # noqa: E402
from openapi_validate import OpenApiError, OpenApiValidator  # noqa: E402

PROBLEM = {
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
}

JWT_PATTERN = "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$"


def make_doc():
    """The stand-in document; each test gets a fresh copy to spoil."""
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {"title": "Test node", "version": "0.1.0"},
        "paths": {
            "/health": {
                "get": {
                    "operationId": "health",
                    "security": [],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "text/plain": {"schema": {"type": "string", "pattern": "^ok$"}}
                            },
                        }
                    },
                }
            },
            "/credentials": {
                "get": {
                    "operationId": "listCredentials",
                    "security": [{"oauth2": ["credentials:read"]}],
                    "parameters": [
                        {
                            "name": "limit",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                        },
                        {"name": "active", "in": "query", "schema": {"type": "boolean"}},
                        {
                            "name": "tag",
                            "in": "query",
                            "schema": {
                                "type": "array",
                                "items": {"type": "string", "maxLength": 5},
                            },
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "a page",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["items"],
                                        "additionalProperties": False,
                                        "properties": {
                                            "items": {
                                                "type": "array",
                                                "items": {
                                                    "$ref": "#/components/schemas/Credential"
                                                },
                                            },
                                            "next": {"type": ["string", "null"]},
                                        },
                                    }
                                }
                            },
                        },
                        "4XX": {"$ref": "#/components/responses/Problem"},
                    },
                },
                "post": {
                    "operationId": "issueCredential",
                    "security": [{"oauth2": ["credentials:issue"]}],
                    "requestBody": {"$ref": "#/components/requestBodies/Issue"},
                    "responses": {
                        "201": {
                            "description": "issued",
                            "headers": {"Location": {"$ref": "#/components/headers/Location"}},
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Credential"}
                                }
                            },
                        },
                        "4XX": {"$ref": "#/components/responses/Problem"},
                        "500": {"description": "internal error", **PROBLEM},
                    },
                },
            },
            "/credentials/status": {
                "get": {
                    "operationId": "credentialStatus",
                    "responses": {
                        "200": {
                            "description": "status",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
            "/credentials/{id}": {
                "parameters": [{"$ref": "#/components/parameters/CredentialId"}],
                "get": {
                    "operationId": "getCredential",
                    "responses": {
                        "200": {
                            "description": "one",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Credential"}
                                }
                            },
                        },
                        "404": {"$ref": "#/components/responses/Problem"},
                    },
                },
                "delete": {
                    "operationId": "revokeCredential",
                    "responses": {
                        "204": {"description": "revoked"},
                        "default": {"$ref": "#/components/responses/Problem"},
                    },
                },
            },
            "/credentials/{id}/jwt": {
                "parameters": [{"$ref": "#/components/parameters/CredentialId"}],
                "get": {
                    "operationId": "getCredentialJwt",
                    "responses": {
                        "200": {
                            "description": "as a JWT",
                            "content": {
                                "application/vc+jwt": {
                                    "schema": {
                                        "type": "string",
                                        "pattern": JWT_PATTERN,
                                    }
                                }
                            },
                        }
                    },
                },
            },
            "/organizations/{org}/did.json": {
                "get": {
                    "operationId": "orgDid",
                    "parameters": [
                        {
                            "name": "org",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "pattern": "^[a-z]+$"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "DID document",
                            "content": {
                                "application/did+json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["id"],
                                        "properties": {"id": {"type": "string", "format": "uri"}},
                                    }
                                }
                            },
                        }
                    },
                }
            },
            "/trees": {
                "post": {
                    "operationId": "plantTree",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Node"}}
                        },
                    },
                    "responses": {
                        "204": {"description": "planted"},
                        "4XX": {"$ref": "#/components/responses/Problem"},
                    },
                }
            },
            "/echo": {
                "put": {
                    "operationId": "echo",
                    "requestBody": {
                        "content": {"text/plain": {"schema": {"type": "string", "maxLength": 10}}}
                    },
                    "responses": {"200": {"description": "echoed", "content": {"text/*": {}}}},
                }
            },
        },
        "components": {
            "schemas": {
                "Problem": {
                    "type": "object",
                    "required": ["title", "status"],
                    "properties": {
                        "type": {"type": "string"},
                        "title": {"type": "string"},
                        "status": {"type": "integer", "minimum": 400, "maximum": 599},
                        "detail": {"type": "string"},
                    },
                },
                "Credential": {
                    "type": "object",
                    "required": ["id", "issuer", "validFrom", "credentialSubject"],
                    "additionalProperties": False,
                    "properties": {
                        "id": {"type": "string"},
                        "issuer": {
                            "oneOf": [
                                {"type": "string", "format": "uri"},
                                {
                                    "type": "object",
                                    "required": ["id"],
                                    "properties": {"id": {"type": "string", "format": "uri"}},
                                },
                            ]
                        },
                        "validFrom": {"type": "string", "format": "date-time"},
                        "credentialSubject": {"$ref": "#/components/schemas/Subject"},
                    },
                },
                "Subject": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": {"type": "string", "format": "uri"},
                        "name": {"type": "string"},
                    },
                },
                "IssueRequest": {
                    "type": "object",
                    "required": ["subject"],
                    "additionalProperties": False,
                    "properties": {
                        "subject": {"$ref": "#/components/schemas/Subject"},
                        "days": {"type": "integer", "minimum": 1},
                    },
                },
                # Recursive: a tree of named nodes.
                "Node": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string", "minLength": 1},
                        "children": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Node"},
                        },
                    },
                },
            },
            "parameters": {
                "CredentialId": {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "pattern": "^urn:uuid:[0-9a-f-]{36}$"},
                },
            },
            "requestBodies": {
                "Issue": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/IssueRequest"}
                        }
                    },
                },
            },
            "responses": {"Problem": {"description": "an RFC 9457 problem", **PROBLEM}},
            "headers": {
                "Location": {
                    "required": True,
                    "schema": {"type": "string", "pattern": "^/credentials/"},
                }
            },
            "securitySchemes": {
                "oauth2": {
                    "type": "oauth2",
                    "flows": {
                        "clientCredentials": {
                            "tokenUrl": "/oauth/token",
                            "scopes": {
                                "credentials:read": "read credentials",
                                "credentials:issue": "issue credentials",
                            },
                        }
                    },
                },
            },
        },
    }


UUID = "urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e"
UUID_PATH = "/credentials/urn%3Auuid%3A0f8fad5b-d9cb-469f-a165-70867728950e"
CREDENTIAL = {
    "id": UUID,
    "issuer": "did:web:issuer.example",
    "validFrom": "2026-01-02T03:04:05Z",
    "credentialSubject": {"id": "did:web:acme.example", "name": "Acme"},
}
JSON = "application/json"
PROBLEM_JSON = "application/problem+json"


def jbytes(value):
    return json.dumps(value).encode()


def problem(status):
    return jbytes({"type": "about:blank", "title": "Error", "status": status})


class DocumentChecks(unittest.TestCase):
    """Construction accepts the good document and names what is wrong with spoilt ones."""

    def assertRejected(self, doc, *fragments):
        with self.assertRaises(OpenApiError) as cm:
            OpenApiValidator(doc)
        for fragment in fragments:
            self.assertIn(fragment, str(cm.exception))
        return str(cm.exception)

    def test_good_document(self):
        v = OpenApiValidator(make_doc())
        self.assertEqual(len(v.operation_ids), 10)
        self.assertEqual(v.unexercised(), v.operation_ids)

    def test_openapi_version(self):
        for bad in ("3.0.3", "3.10.0", None, 3.1):
            doc = make_doc()
            doc["openapi"] = bad
            self.assertRejected(doc, "openapi must be a 3.1.x")
        doc = make_doc()
        doc["openapi"] = "3.1.1"
        OpenApiValidator(doc)

    def test_info_and_paths(self):
        doc = make_doc()
        del doc["info"]["version"]
        self.assertRejected(doc, "info.version")
        doc = make_doc()
        doc["paths"] = []
        self.assertRejected(doc, "paths must be an object")

    def test_dialect(self):
        doc = make_doc()
        doc["jsonSchemaDialect"] = "http://json-schema.org/draft-07/schema#"
        self.assertRejected(doc, "not JSON Schema 2020-12")

    def test_bad_ref(self):
        doc = make_doc()
        doc["paths"]["/credentials/{id}"]["get"]["responses"]["200"]["content"][JSON]["schema"] = {
            "$ref": "#/components/schemas/Credentail"
        }
        self.assertRejected(doc, "#/components/schemas/Credentail", "does not resolve")

    def test_bad_ref_inside_component(self):
        doc = make_doc()
        doc["components"]["schemas"]["Subject"]["properties"]["name"] = {
            "$ref": "#/components/schemas/Nope"
        }
        self.assertRejected(doc, "Nope")

    def test_non_local_ref(self):
        doc = make_doc()
        doc["components"]["schemas"]["Subject"]["properties"]["name"] = {
            "$ref": "https://example.com/s.json"
        }
        self.assertRejected(doc, "not a local reference")

    def test_ref_cycle(self):
        doc = make_doc()
        doc["components"]["schemas"]["A"] = {"$ref": "#/components/schemas/B"}
        doc["components"]["schemas"]["B"] = {
            "$ref": "#/components/schemas/A",
            "description": "loop",
        }
        self.assertRejected(doc, "reference cycle")

    def test_duplicate_operation_id(self):
        doc = make_doc()
        doc["paths"]["/credentials/status"]["get"]["operationId"] = "getCredential"
        self.assertRejected(doc, "operationId 'getCredential' is used by both")

    def test_missing_operation_id_and_responses(self):
        doc = make_doc()
        del doc["paths"]["/health"]["get"]["operationId"]
        self.assertRejected(doc, "GET /health", "operationId is missing")
        doc = make_doc()
        del doc["paths"]["/health"]["get"]["responses"]
        self.assertRejected(doc, "health", "responses must be a non-empty object")
        doc = make_doc()
        doc["paths"]["/health"]["get"]["responses"]["2xx"] = {"description": "lower case range"}
        self.assertRejected(doc, "'2xx' is not a status code")

    def test_invalid_schema(self):
        doc = make_doc()
        doc["components"]["schemas"]["Subject"]["properties"]["name"] = {"type": "strin"}
        self.assertRejected(doc, "components/schemas/Subject", "not a valid JSON Schema")
        doc = make_doc()
        doc["paths"]["/echo"]["put"]["requestBody"]["content"]["text/plain"]["schema"] = {
            "minLength": -1
        }
        self.assertRejected(doc, "echo", "requestBody", "not a valid JSON Schema")

    def test_path_parameters_must_match_template(self):
        doc = make_doc()
        doc["paths"]["/organizations/{org}/did.json"]["get"]["parameters"][0][
            "name"
        ] = "organization"
        self.assertRejected(doc, "orgDid", "do not match")
        doc = make_doc()
        doc["paths"]["/organizations/{org}/did.json"]["get"]["parameters"][0]["required"] = False
        self.assertRejected(doc, "must be required: true")

    def test_equivalent_templates(self):
        doc = make_doc()
        doc["paths"]["/credentials/{other}"] = {
            "get": {
                "operationId": "other",
                "parameters": [
                    {"name": "other", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": {"description": "x"}},
            }
        }
        self.assertRejected(doc, "same template")

    def test_security(self):
        doc = make_doc()
        doc["paths"]["/credentials"]["get"]["security"] = [{"oauth2": ["credentials:write"]}]
        self.assertRejected(doc, "scope 'credentials:write' is not declared")
        doc = make_doc()
        doc["paths"]["/credentials"]["get"]["security"] = [{"apiKey": []}]
        self.assertRejected(doc, "security scheme 'apiKey' is not declared")

    def test_ref_in_example_data_is_ignored(self):
        doc = make_doc()
        doc["components"]["schemas"]["Subject"]["examples"] = [
            {"$ref": "not a reference, just data"}
        ]
        doc["components"]["schemas"]["Subject"]["properties"]["const"] = {
            "$ref": "#/components/schemas/Problem"
        }
        v = OpenApiValidator(doc)
        sub = {"id": "did:web:x", "const": {"title": "t"}}  # the "const" property must be a Problem
        body = jbytes({**CREDENTIAL, "credentialSubject": sub})
        with self.assertRaises(OpenApiError) as cm:
            v.validate_response("GET", UUID_PATH, 200, {}, JSON, body)
        self.assertIn("/credentialSubject/const", str(cm.exception))


class Routing(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.v = OpenApiValidator(make_doc())

    def test_percent_encoded_parameter(self):
        template, op, params = self.v.find_operation("GET", UUID_PATH)
        self.assertEqual(
            (template, op["operationId"], params),
            ("/credentials/{id}", "getCredential", {"id": UUID}),
        )

    def test_literal_segment_wins(self):
        template, op, params = self.v.find_operation("get", "/credentials/status")
        self.assertEqual((template, params), ("/credentials/status", {}))

    def test_method_falls_back_to_template(self):
        # /credentials/status has no DELETE, so the templated path answers for it.
        template, op, _ = self.v.find_operation("DELETE", "/credentials/status")
        self.assertEqual(op["operationId"], "revokeCredential")

    def test_literal_around_parameter(self):
        template, op, params = self.v.find_operation("GET", "/organizations/acme/did.json?x=1")
        self.assertEqual((template, params), ("/organizations/{org}/did.json", {"org": "acme"}))

    def test_full_url(self):
        template, _, _ = self.v.find_operation("GET", "http://127.0.0.1:8080/health")
        self.assertEqual(template, "/health")

    def test_unknown_path(self):
        with self.assertRaises(OpenApiError) as cm:
            self.v.find_operation("GET", "/x")
        self.assertEqual(str(cm.exception), "no operation for GET /x")

    def test_parameter_spans_one_segment(self):
        for path in ("/credentials/a/b", "/credentials/", "/credentials/x/jwt/extra"):
            with self.assertRaises(OpenApiError):
                self.v.find_operation("GET", path)

    def test_undocumented_method(self):
        with self.assertRaises(OpenApiError) as cm:
            self.v.find_operation("PATCH", "/credentials")
        self.assertIn("documented for GET, POST", str(cm.exception))


class Requests(unittest.TestCase):
    def setUp(self):
        self.v = OpenApiValidator(make_doc())

    def bad(self, *args, contains=()):
        with self.assertRaises(OpenApiError) as cm:
            self.v.validate_request(*args)
        for fragment in contains:
            self.assertIn(fragment, str(cm.exception))
        return str(cm.exception)

    def test_good_requests(self):
        issue = jbytes({"subject": {"id": "did:web:acme.example"}, "days": 30})
        self.assertEqual(
            self.v.validate_request("POST", "/credentials", {}, {}, JSON, issue), "issueCredential"
        )
        self.v.validate_request(
            "POST", "/credentials", {}, {}, "application/json; charset=utf-8", issue
        )
        self.v.validate_request(
            "GET",
            "/credentials",
            {"limit": "10", "active": "true", "tag": ["a", "b"]},
            {},
            None,
            b"",
        )
        self.v.validate_request("GET", "/credentials?limit=5&tag=x&tag=y", {}, {}, None, b"")
        self.v.validate_request("GET", UUID_PATH, {}, {}, None, b"")
        self.v.validate_request("PUT", "/echo", {}, {"Content-Type": "text/plain"}, None, b"hello")
        self.v.validate_request("PUT", "/echo", {}, {}, None, b"")  # the body is optional here
        tree = {
            "name": "root",
            "children": [{"name": "a", "children": [{"name": "b"}]}, {"name": "c"}],
        }
        self.v.validate_request("POST", "/trees", None, None, JSON, jbytes(tree))

    def test_unknown_path(self):
        self.bad("GET", "/nope", {}, {}, None, b"", contains=["no operation for GET /nope"])

    def test_required_query_parameter(self):
        self.bad(
            "GET",
            "/credentials",
            {},
            {},
            None,
            b"",
            contains=["listCredentials", "'limit' is missing"],
        )

    def test_query_parameter_types(self):
        self.bad(
            "GET",
            "/credentials",
            {"limit": "ten"},
            {},
            None,
            b"",
            contains=["'limit'", "is not of type 'integer'"],
        )
        self.bad("GET", "/credentials", {"limit": "0"}, {}, None, b"", contains=["minimum of 1"])
        self.bad(
            "GET",
            "/credentials",
            {"limit": "1", "active": "yes"},
            {},
            None,
            b"",
            contains=["'boolean'"],
        )
        self.bad(
            "GET", "/credentials", {"limit": ["1", "2"]}, {}, None, b"", contains=["given 2 times"]
        )
        self.bad(
            "GET",
            "/credentials",
            {"limit": "1", "tag": ["ok", "toolong"]},
            {},
            None,
            b"",
            contains=["at /1"],
        )

    def test_path_parameter_schema(self):
        self.bad(
            "GET",
            "/credentials/not-a-urn",
            {},
            {},
            None,
            b"",
            contains=["path parameter 'id'", "does not match"],
        )

    def test_missing_required_body(self):
        self.bad(
            "POST", "/credentials", {}, {}, None, b"", contains=["issueCredential", "body is empty"]
        )

    def test_wrong_content_type(self):
        self.bad(
            "POST",
            "/credentials",
            {},
            {},
            "text/plain",
            b"{}",
            contains=["'text/plain' is not documented"],
        )
        self.bad("POST", "/credentials", {}, {}, None, b"{}", contains=["no Content-Type"])

    def test_schema_violation_names_pointer(self):
        body = jbytes({"subject": {"id": 7}})
        msg = self.bad("POST", "/credentials", {}, {}, JSON, body)
        self.assertIn("issueCredential (POST /credentials) request", msg)
        self.assertIn("at /subject/id: 7 is not of type 'string'", msg)
        msg = self.bad(
            "POST", "/credentials", {}, {}, JSON, jbytes({"subject": {"id": "x:y"}, "extra": 1})
        )
        self.assertIn("at (root)", msg)
        self.assertIn("'extra' was unexpected", msg)

    def test_recursive_schema_violation(self):
        tree = {"name": "root", "children": [{"name": "a", "children": [{"name": ""}]}]}
        self.bad(
            "POST",
            "/trees",
            {},
            {},
            JSON,
            jbytes(tree),
            contains=["at /children/0/children/0/name"],
        )

    def test_invalid_json(self):
        self.bad("POST", "/credentials", {}, {}, JSON, b"{not json", contains=["not valid JSON"])

    def test_body_where_none_is_taken(self):
        self.bad("GET", UUID_PATH, {}, {}, JSON, b"{}", contains=["takes none"])

    def test_text_body_schema(self):
        self.bad(
            "PUT", "/echo", {}, {}, "text/plain", b"far too long a text", contains=["is too long"]
        )


class Responses(unittest.TestCase):
    def setUp(self):
        self.v = OpenApiValidator(make_doc())

    def bad(self, *args, contains=()):
        with self.assertRaises(OpenApiError) as cm:
            self.v.validate_response(*args)
        for fragment in contains:
            self.assertIn(fragment, str(cm.exception))
        return str(cm.exception)

    def test_good_responses(self):
        v = self.v
        v.validate_response("GET", UUID_PATH, 200, {"Content-Type": JSON}, None, jbytes(CREDENTIAL))
        v.validate_response("GET", UUID_PATH, 404, {}, PROBLEM_JSON, problem(404))  # exact code
        v.validate_response(
            "GET", "/credentials?limit=1", 401, {}, PROBLEM_JSON, problem(401)
        )  # 4XX
        v.validate_response("DELETE", UUID_PATH, 204, {}, None, b"")
        v.validate_response("DELETE", UUID_PATH, 503, {}, PROBLEM_JSON, problem(503))  # default
        v.validate_response(
            "POST", "/credentials", 201, [("location", "/credentials/x")], JSON, jbytes(CREDENTIAL)
        )
        v.validate_response(
            "GET", "/credentials", 200, {}, JSON, jbytes({"items": [CREDENTIAL], "next": None})
        )
        v.validate_response(
            "GET", UUID_PATH + "/jwt", 200, {}, "application/vc+jwt", b"eyJh.eyJz.c2ln"
        )
        v.validate_response(
            "GET",
            "/organizations/acme/did.json",
            200,
            {},
            "application/did+json",
            jbytes({"id": "did:web:acme.example"}),
        )
        v.validate_response(
            "PUT", "/echo", 200, {}, "text/html; charset=utf-8", b"<p>hi</p>"
        )  # text/*
        v.validate_response("GET", "/health", 200, {}, "text/plain", b"ok")

    def test_undeclared_status(self):
        msg = self.bad("GET", UUID_PATH, 500, {}, PROBLEM_JSON, problem(500))
        self.assertIn("getCredential (GET /credentials/{id}): status 500 is not documented", msg)
        self.bad(
            "POST", "/credentials", 503, {}, PROBLEM_JSON, problem(503), contains=["status 503"]
        )

    def test_wrong_content_type(self):
        self.bad(
            "GET",
            UUID_PATH,
            404,
            {},
            JSON,
            problem(404),
            contains=["response 404", "'application/json' is not documented"],
        )
        self.bad("GET", UUID_PATH, 200, {}, None, jbytes(CREDENTIAL), contains=["no Content-Type"])

    def test_schema_violation_names_operation_status_and_pointer(self):
        cred = copy.deepcopy(CREDENTIAL)
        cred["credentialSubject"]["id"] = "no scheme"
        msg = self.bad("GET", UUID_PATH, 200, {}, JSON, jbytes(cred))
        self.assertIn("getCredential (GET /credentials/{id}) response 200", msg)
        self.assertIn("at /credentialSubject/id", msg)
        self.assertIn("'no scheme' is not a 'uri'", msg)

    def test_date_time_format(self):
        cred = dict(CREDENTIAL, validFrom="2026-13-45 25:00")
        self.bad(
            "GET", UUID_PATH, 200, {}, JSON, jbytes(cred), contains=["at /validFrom", "'date-time'"]
        )

    def test_one_of(self):
        cred = dict(CREDENTIAL, issuer={"id": 5})
        self.bad("GET", UUID_PATH, 200, {}, JSON, jbytes(cred), contains=["/issuer"])
        OpenApiValidator(make_doc()).validate_response(
            "GET", UUID_PATH, 200, {}, JSON, jbytes(dict(CREDENTIAL, issuer={"id": "did:web:x"}))
        )

    def test_nested_items_pointer(self):
        page = {"items": [CREDENTIAL, dict(CREDENTIAL, validFrom=3)]}
        self.bad(
            "GET", "/credentials", 200, {}, JSON, jbytes(page), contains=["at /items/1/validFrom"]
        )

    def test_problem_body(self):
        self.bad(
            "GET",
            UUID_PATH,
            404,
            {},
            PROBLEM_JSON,
            jbytes({"title": "x", "status": 200}),
            contains=["at /status", "minimum"],
        )

    def test_body_on_empty_response(self):
        self.bad("DELETE", UUID_PATH, 204, {}, JSON, b"{}", contains=["none is documented"])

    def test_empty_body_where_content_is_documented(self):
        self.bad("GET", UUID_PATH, 200, {}, JSON, b"", contains=["body is empty"])
        self.bad("GET", "/health", 200, {}, None, b"", contains=["body is empty"])

    def test_required_header(self):
        self.bad(
            "POST",
            "/credentials",
            201,
            {},
            JSON,
            jbytes(CREDENTIAL),
            contains=["required header Location"],
        )
        self.bad(
            "POST",
            "/credentials",
            201,
            {"Location": "/elsewhere"},
            JSON,
            jbytes(CREDENTIAL),
            contains=["header Location", "does not match"],
        )

    def test_non_json_pattern(self):
        self.bad(
            "GET",
            UUID_PATH + "/jwt",
            200,
            {},
            "application/vc+jwt",
            b"not a jwt",
            contains=["does not match"],
        )
        self.bad("GET", "/health", 200, {}, "text/plain", b"\xff\xfe", contains=["not UTF-8"])

    def test_coverage(self):
        v = self.v
        v.validate_request("GET", UUID_PATH, {}, {}, None, b"")
        v.validate_response("GET", UUID_PATH, 200, {}, JSON, jbytes(CREDENTIAL))
        v.validate_response("GET", UUID_PATH, 404, {}, PROBLEM_JSON, problem(404))
        v.validate_response("GET", "/health", 200, {}, "text/plain", b"ok")
        with self.assertRaises(OpenApiError):  # a failed check does not count as coverage
            v.validate_response("GET", "/credentials/status", 200, {}, JSON, b"[]")
        cov = v.coverage()
        self.assertEqual(cov.requests, {"getCredential"})
        self.assertEqual(cov.responses, {"getCredential", "health"})
        self.assertEqual(cov.statuses, {"getCredential": {200, 404}, "health": {200}})
        self.assertNotIn("getCredential", v.unexercised())
        self.assertIn("credentialStatus", v.unexercised())
        self.assertEqual(len(v.unexercised()), len(v.operation_ids) - 2)


# ---------------------------------------------------------------------------------------------
# The client against a tiny server


class FakeNode(http.server.BaseHTTPRequestHandler):
    """Serves make_doc()'s API, plus a few deliberate breaches of it."""

    protocol_version = "HTTP/1.1"
    store = {}

    def log_message(self, *args):  # keep the test output clean
        pass

    def reply(self, status, body=b"", content_type=None, headers=()):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self):
        if self.path == "/openapi.json":
            return self.reply(200, jbytes(make_doc()), JSON)
        if self.path == "/health":
            return self.reply(200, b"ok", "text/plain")
        if self.path == "/credentials/status":  # breaches the document: 418 is undeclared
            return self.reply(418, b"teapot", "text/plain")
        if self.path.startswith("/credentials/"):
            if self.path == UUID_PATH:
                return self.reply(200, jbytes(CREDENTIAL), JSON)
            return self.reply(404, problem(404), PROBLEM_JSON)
        if self.path.startswith("/credentials?"):
            if self.headers.get("Authorization") != "Bearer good":
                return self.reply(401, problem(401), PROBLEM_JSON, [("WWW-Authenticate", "Bearer")])
            return self.reply(200, jbytes({"items": [CREDENTIAL]}), JSON)
        return self.reply(404, problem(404), PROBLEM_JSON)

    def do_POST(self):
        data = self.body()
        if self.path == "/credentials":
            try:
                req = json.loads(data)
                assert isinstance(req, dict) and "subject" in req
            except (ValueError, AssertionError):
                return self.reply(400, problem(400), PROBLEM_JSON)
            return self.reply(201, jbytes(CREDENTIAL), JSON, [("Location", UUID_PATH)])
        return self.reply(404, problem(404), PROBLEM_JSON)

    def do_DELETE(self):
        if self.path == UUID_PATH:
            return self.reply(204)
        # Breaches the document: a bodiless redirect where "default" promises a problem body.
        return self.reply(302, b"", None, [("Location", "/elsewhere")])


class ClientChecks(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeNode)
        cls.server.daemon_threads = True
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()
        cls.host, cls.port = cls.server.server_address[:2]
        cls.base = f"http://{cls.host}:{cls.port}"

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()
        cls.thread.join(timeout=5)

    def client(self):
        c = ApiClient(self.base)
        c.load_openapi()
        return c

    def test_plain_client_without_validator(self):
        c = ApiClient(self.base)
        r = c.get("/health", expect=200)
        self.assertEqual((r.status, r.text, r.headers["content-type"]), (200, "ok", "text/plain"))
        self.assertIn("CONTENT-LENGTH", r.headers)
        with self.assertRaises(AssertionError):
            r.json()

    def test_good_exchanges(self):
        c = self.client()
        self.assertEqual(c.get(UUID_PATH, expect=200).json()["id"], UUID)
        r = c.post(
            "/credentials",
            json={"subject": {"id": "did:web:acme.example"}},
            token="good",
            expect=201,
        )
        self.assertEqual(r.headers.get("location"), UUID_PATH)
        c.get("/credentials", query={"limit": 3, "tag": ["a", "b"]}, token="good", expect=200)
        c.delete(UUID_PATH, expect=204)
        cov = c.validator.coverage()
        self.assertTrue(
            {"getCredential", "issueCredential", "listCredentials", "revokeCredential"}
            <= cov.responses
        )

    def test_errors_are_replies(self):
        c = self.client()
        r = c.get("/credentials?limit=3", expect=401)
        self.assertEqual(r.headers.get("WWW-Authenticate"), "Bearer")
        self.assertEqual(r.problem()["status"], 401)
        r = c.get("/credentials/urn%3Auuid%3A00000000-0000-0000-0000-000000000000", expect=404)
        self.assertEqual(r.problem()["title"], "Error")

    def test_expect_mismatch_quotes_body(self):
        c = self.client()
        with self.assertRaises(AssertionError) as cm:
            c.get("/credentials?limit=3", expect=200)
        self.assertIn("expected status 200, got 401", str(cm.exception))
        self.assertIn('"status": 401', str(cm.exception))
        c.get("/credentials?limit=3", expect=(401, 403))

    def test_problem_assertion(self):
        c = ApiClient(self.base)
        with self.assertRaises(AssertionError) as cm:
            c.get("/health").problem()
        self.assertIn("expected application/problem+json", str(cm.exception))

    def test_request_validated_before_sending(self):
        c = self.client()
        with self.assertRaises(AssertionError) as cm:
            c.post("/credentials", json={"subject": {}}, token="good")
        self.assertIn("at /subject: 'id' is a required property", str(cm.exception))
        # A deliberately malformed request goes out when asked; the reply is still validated.
        r = c.post(
            "/credentials", data=b"{oops", content_type=JSON, check_request=False, expect=400
        )
        r.problem()

    def test_response_breach_is_an_assertion(self):
        c = self.client()
        with self.assertRaises(AssertionError) as cm:
            c.get("/credentials/status")
        self.assertIn(
            "credentialStatus (GET /credentials/status): status 418 is not documented",
            str(cm.exception),
        )
        # Redirects are not followed: the 302 itself reaches the validator, whose "default"
        # response for revokeCredential requires a problem body.
        with self.assertRaises(AssertionError) as cm:
            c.delete("/credentials/urn%3Auuid%3A00000000-0000-0000-0000-000000000000")
        self.assertIn(
            "revokeCredential (DELETE /credentials/{id}) response 302: body is empty",
            str(cm.exception),
        )
        r = ApiClient(self.base).delete("/credentials/x", expect=302)
        self.assertEqual(r.headers["Location"], "/elsewhere")

    def test_raw_request(self):
        raw = raw_request(
            self.host, self.port, b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        self.assertEqual(status_of(raw), 200)
        self.assertTrue(raw.endswith(b"\r\n\r\nok"))
        raw = raw_request(self.host, self.port, b"BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertEqual(status_of(raw), 501)  # http.server's answer to an unknown method
        # A kept-alive connection: one_response returns without waiting for the timeout.
        start = time.monotonic()
        raw = raw_request(
            self.host,
            self.port,
            b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n",
            timeout=5,
            one_response=True,
        )
        self.assertEqual(status_of(raw), 200)
        self.assertLess(time.monotonic() - start, 2)

    def test_slow_send(self):
        request = b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        result = slow_send(self.host, self.port, request, delay_per_chunk=0.005, chunk_size=4)
        self.assertEqual(result.sent, len(request))
        self.assertFalse(result.closed_early)
        self.assertEqual(status_of(result.reply), 200)
        self.assertGreater(result.elapsed, 0.005 * (len(request) // 4 - 1))
        # The server answers an unknown method as soon as the head is in; slow_send notices
        # and stops sending the rest.
        head = b"BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n"
        result = slow_send(
            self.host, self.port, head + b"x" * 200, delay_per_chunk=0.02, chunk_size=10
        )
        self.assertTrue(result.closed_early)
        self.assertLess(result.sent, len(head) + 200)
        self.assertEqual(status_of(result.reply), 501)

    def test_headers_class(self):
        h = Headers([("Set-Cookie", "a=1"), ("set-cookie", "b=2"), ("X-One", "1")])
        self.assertEqual(h["SET-COOKIE"], "a=1")
        self.assertEqual(h.get_all("Set-Cookie"), ["a=1", "b=2"])
        self.assertNotIn("X-Two", h)
        with self.assertRaises(KeyError):
            h["X-Two"]


if __name__ == "__main__":
    unittest.main(verbosity=2)
