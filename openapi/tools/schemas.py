#!/usr/bin/env python3
"""Prints the component schemas of a JSON:API resource: SCHEMA, SCHEMADocument,
SCHEMAListDocument and SCHEMAWriteDocument. Usage:

    schemas.py TYPE SCHEMA 'attr:type attr:type …' 'rel rel …' ['writable attrs' ['writable rels']]

A type is string, integer, boolean, date, datetime, money, amount (money a client writes,
bounded), nstring (nullable string), ndate (nullable date), strmap (object of strings), any.
Dates and amounts refer to the bounded component schemas (Date, NullableDate, Amount)."""
import sys

typ, schema, attrs, rels = sys.argv[1:5]
wattrs = sys.argv[5].split() if len(sys.argv) > 5 else [a.split(":")[0] for a in attrs.split()]
wrels = sys.argv[6].split() if len(sys.argv) > 6 else rels.split()
T = {"string": "{type: string}", "integer": "{type: integer}", "boolean": "{type: boolean}",
     "date": '{$ref: "#/components/schemas/Date"}', "datetime": "{type: string, format: date-time}",
     "money": '{$ref: "#/components/schemas/Money"}', "amount": '{$ref: "#/components/schemas/Amount"}',
     "nstring": '{type: ["string", "null"]}', "ndate": '{$ref: "#/components/schemas/NullableDate"}', "strmap": "{type: object, additionalProperties: {type: string}}",
     "any": "{}"}
kinds = dict(a.split(":") for a in attrs.split())
props = "".join(f"            {a}: {T[k]}\n" for a, k in kinds.items())
relp = "".join(f'            {r}: {{$ref: "#/components/schemas/ToOne"}}\n' for r in rels.split())
wprops = "".join(f"                {a}: {T[kinds.get(a, 'any')]}\n" for a in wattrs)
wrelp = "".join(f'                {r}: {{$ref: "#/components/schemas/ToOneWrite"}}\n' for r in wrels)
rel_block = f"""        relationships:
          type: object
          properties:
{relp}          additionalProperties: false
""" if rels.strip() else ""
wrel_block = f"""            relationships:
              type: object
              properties:
{wrelp}""" if wrels else ""
print(f"""    {schema}:
      type: object
      required: [type, id]
      properties:
        type: {{type: string, const: {typ}}}
        id: {{type: string}}
        attributes:
          type: object
          properties:
{props}          additionalProperties: false
{rel_block}        links: {{$ref: "#/components/schemas/Links"}}
        meta: {{type: object}}
      additionalProperties: false
    {schema}Document:
      type: object
      required: [data, jsonapi]
      properties:
        data: {{$ref: "#/components/schemas/{schema}"}}
        included: {{type: array, items: {{$ref: "#/components/schemas/AnyResource"}}}}
        jsonapi: {{$ref: "#/components/schemas/JSONAPIObject"}}
      additionalProperties: false
    {schema}ListDocument:
      type: object
      required: [data, jsonapi]
      properties:
        data: {{type: array, items: {{$ref: "#/components/schemas/{schema}"}}}}
        included: {{type: array, items: {{$ref: "#/components/schemas/AnyResource"}}}}
        jsonapi: {{$ref: "#/components/schemas/JSONAPIObject"}}
        links: {{$ref: "#/components/schemas/Links"}}
        meta: {{type: object, properties: {{total: {{type: integer}}}}}}
      additionalProperties: false
    {schema}WriteDocument:
      type: object
      required: [data]
      properties:
        data:
          type: object
          required: [type]
          properties:
            type: {{type: string, const: {typ}}}
            id: {{type: string}}
            attributes:
              type: object
              properties:
{wprops}{wrel_block}      additionalProperties: false""", end="\n")
