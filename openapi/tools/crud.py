#!/usr/bin/env python3
"""Prints the OpenAPI path items of a plain JSON:API collection (list, create, get, patch,
delete), so that every such resource is documented the same way. Usage:

    crud.py PATH TAG SCHEMA 'sort fields' 'filter names' [ops]

ops is a subset of "list,create,get,patch,delete" (default all)."""
import sys

path, tag, schema, sorts, filters = sys.argv[1:6]
ops = (sys.argv[6] if len(sys.argv) > 6 else "list,create,get,patch,delete").split(",")
typ = path.rsplit("/", 1)[-1]
err = lambda codes: "".join(f'        "{c}": {{$ref: "#/components/responses/Error"}}\n' for c in codes)
out = []
if "list" in ops or "create" in ops:
    out.append(f"  {path}:\n")
if "list" in ops:
    params = "        - {$ref: \"#/components/parameters/PageNumber\"}\n        - {$ref: \"#/components/parameters/PageSize\"}\n"
    params += f"        - {{name: \"fields[{typ}]\", in: query, schema: {{type: string}}}}\n"
    if sorts:
        params += f"        - {{name: sort, in: query, description: \"Any of: {sorts}; '-' for descending.\", schema: {{type: string}}}}\n"
    for f in filters.split():
        params += f"        - {{name: \"filter[{f}]\", in: query, schema: {{type: string}}}}\n"
    out.append(f"""    get:
      tags: [{tag}]
      operationId: list{schema}s
      summary: The {typ} the caller may view.
      parameters:
{params}      responses:
        "200":
          description: A page of {typ}.
          content:
            application/vnd.api+json:
              schema: {{$ref: "#/components/schemas/{schema}ListDocument"}}
{err(["400", "401"])}""")
if "create" in ops:
    out.append(f"""    post:
      tags: [{tag}]
      operationId: create{schema}
      summary: Add one.
      requestBody:
        required: true
        content:
          application/vnd.api+json:
            schema: {{$ref: "#/components/schemas/{schema}WriteDocument"}}
      responses:
        "201":
          description: Created.
          headers:
            Location: {{schema: {{type: string}}}}
          content:
            application/vnd.api+json:
              schema: {{$ref: "#/components/schemas/{schema}Document"}}
{err(["400", "401", "403", "404", "409", "422"])}""")
if any(o in ops for o in ("get", "patch", "delete")):
    out.append(f"  {path}/{{id}}:\n")
if "get" in ops:
    out.append(f"""    get:
      tags: [{tag}]
      operationId: get{schema}
      summary: One of them.
      parameters:
        - {{$ref: "#/components/parameters/ID"}}
        - {{name: "fields[{typ}]", in: query, schema: {{type: string}}}}
      responses:
        "200":
          description: Found.
          content:
            application/vnd.api+json:
              schema: {{$ref: "#/components/schemas/{schema}Document"}}
{err(["400", "401", "404"])}""")
if "patch" in ops:
    out.append(f"""    patch:
      tags: [{tag}]
      operationId: update{schema}
      summary: Change it; send the version you edited (attribute or If-Match).
      parameters:
        - {{$ref: "#/components/parameters/ID"}}
        - {{$ref: "#/components/parameters/IfMatch"}}
      requestBody:
        required: true
        content:
          application/vnd.api+json:
            schema: {{$ref: "#/components/schemas/{schema}WriteDocument"}}
      responses:
        "200":
          description: Updated.
          headers:
            ETag: {{schema: {{type: string}}}}
          content:
            application/vnd.api+json:
              schema: {{$ref: "#/components/schemas/{schema}Document"}}
{err(["400", "401", "403", "404", "409", "412", "422"])}""")
if "delete" in ops:
    out.append(f"""    delete:
      tags: [{tag}]
      operationId: delete{schema}
      summary: Delete it.
      parameters:
        - {{$ref: "#/components/parameters/ID"}}
      responses:
        "204": {{description: Deleted.}}
{err(["401", "403", "404", "409"])}""")
sys.stdout.write("".join(out))
