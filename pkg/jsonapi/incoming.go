package jsonapi

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Incoming is the resource object of a create (POST) or update (PATCH)
// request, validated structurally but not yet bound: attribute values are
// still raw JSON, so Bind can decode them strictly into a request DTO.
type Incoming struct {
	Type string
	// ID is empty on create.
	ID string
	// Attributes maps each sent attribute to its raw JSON value. A member
	// that is absent was not sent; one that is null was sent as null.
	Attributes map[string]json.RawMessage
	// Relationships maps each sent relationship to its linkage.
	Relationships map[string]IncomingRelationship
}

// resourceMembers are the members JSON:API allows in a resource object.
var resourceMembers = []string{"type", "id", "lid", "attributes", "relationships", "links", "meta"}

// reservedFields may not be used as attribute or relationship names.
var reservedFields = []string{"type", "id", "lid", "links", "relationships"}

// ParseResource parses a single-resource request document.
//
// wantType is the collection's resource type. wantID is the id from the URL
// on update and "" on create, which selects the rules:
//
//   - body not JSON: 400 malformed_json, pointer "/";
//   - top-level member other than data/meta/jsonapi/links, or any member
//     given twice: 400, pointing at it;
//   - data missing or not an object: 400 invalid_document, pointer "/data";
//   - type missing: 400; type != wantType: 409 type_mismatch;
//   - create with an id: 403 client_id_unsupported (client-generated ids
//     are not supported);
//   - update without id: 400; id != wantID: 409 id_mismatch;
//   - malformed attributes or relationships: 400 pointing at them.
func ParseResource(body []byte, wantType, wantID string) (*Incoming, error) {
	in, err := parseResource(body, wantType, wantID)
	if err != nil {
		return nil, err
	}
	return in, nil
}

// parseResource is ParseResource with a concrete error type, so a nil
// *Error never turns into a non-nil error interface.
func parseResource(body []byte, wantType, wantID string) (*Incoming, *Error) {
	data, err := parseTop(body)
	if err != nil {
		return nil, err
	}
	res, err := requireObject(data, "/data", "data")
	if err != nil {
		return nil, err
	}
	if err := res.onlyMembers("/data", resourceMembers...); err != nil {
		return nil, err
	}
	in := &Incoming{}
	if in.Type, err = resourceType(res, wantType); err != nil {
		return nil, err
	}
	if in.ID, err = resourceID(res, wantID); err != nil {
		return nil, err
	}
	if in.Attributes, err = parseAttributes(res); err != nil {
		return nil, err
	}
	if in.Relationships, err = parseRelationships(res, in.Attributes); err != nil {
		return nil, err
	}
	if raw, ok := res["meta"]; ok {
		if _, err := requireObject(raw, "/data/meta", "meta"); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// resourceType checks data.type.
func resourceType(res jsonObject, wantType string) (string, *Error) {
	typ, present, err := res.stringMember("/data", "type")
	if err != nil {
		return "", err
	}
	if !present {
		return "", invalidDoc("/data/type", "The resource object must have a type.")
	}
	if typ != wantType {
		return "", Conflict(CodeTypeMismatch,
			fmt.Sprintf("This endpoint accepts %q resources, not %q.", wantType, typ)).WithPointer("/data/type")
	}
	return typ, nil
}

// resourceID checks data.id against the URL: absent on create, equal on
// update.
func resourceID(res jsonObject, wantID string) (string, *Error) {
	if wantID == "" {
		if _, sent := res["id"]; sent {
			return "", New(http.StatusForbidden, CodeClientIDUnsupported,
				"Client-generated ids are not supported; leave id out.").WithPointer("/data/id")
		}
		if _, sent := res["lid"]; sent {
			return "", BadRequest(CodeUnknownMember, "Local ids are not supported.").WithPointer("/data/lid")
		}
		return "", nil
	}
	id, present, err := res.stringMember("/data", "id")
	if err != nil {
		return "", err
	}
	if !present {
		return "", invalidDoc("/data/id", "The resource object must have the id of the resource being updated.")
	}
	if id != wantID {
		return "", Conflict(CodeIDMismatch, "The id in the document does not match the URL.").WithPointer("/data/id")
	}
	return id, nil
}

// parseAttributes checks data.attributes.
func parseAttributes(res jsonObject) (map[string]json.RawMessage, *Error) {
	attrs := map[string]json.RawMessage{}
	obj, err := res.memberObject("/data", "attributes")
	if err != nil {
		return nil, err
	}
	for _, name := range obj.sortedKeys() {
		if err := checkFieldName("/data/attributes/", name); err != nil {
			return nil, err
		}
		attrs[name] = obj[name]
	}
	return attrs, nil
}

// checkFieldName rejects the names JSON:API reserves.
func checkFieldName(prefix, name string) *Error {
	for _, r := range reservedFields {
		if name == r {
			return invalidDoc(prefix+escapePointer(name), fmt.Sprintf("%q cannot be used as a field name.", name))
		}
	}
	return nil
}
