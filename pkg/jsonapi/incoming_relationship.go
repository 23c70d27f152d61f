package jsonapi

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// IncomingRelationship is relationship linkage sent by a client, either
// inside a resource object or as the whole body of a relationship endpoint
// (PATCH /cases/7/relationships/owner).
type IncomingRelationship struct {
	// Name is the relationship name; "" for a relationship endpoint body.
	Name string
	// Many is true when data was an array.
	Many bool
	// Data holds the identifiers: for to-one, none means explicit null.
	Data []Identifier
}

// ParseRelationship parses the body of a relationship endpoint request,
// whose primary data is linkage: null, an identifier, or an array of them.
// Errors point at "/data".
func ParseRelationship(body []byte) (*IncomingRelationship, error) {
	data, err := parseTop(body)
	if err != nil {
		return nil, err
	}
	rel, err := parseLinkage(data, "/data")
	if err != nil {
		return nil, err
	}
	return &rel, nil
}

// pointer locates the relationship's data in the request document.
func (r IncomingRelationship) pointer() string {
	if r.Name == "" {
		return "/data"
	}
	return "/data/relationships/" + escapePointer(r.Name) + "/data"
}

// ToOne checks that the linkage is to-one and of type typ, and returns the
// target id, or "" for an explicit null (real ids are never empty).
// Errors: 400 invalid_relationship for a list, 409 type_mismatch.
func (r IncomingRelationship) ToOne(typ string) (string, error) {
	if r.Many {
		return "", BadRequest(CodeInvalidRelationship,
			"This relationship is to-one: send an identifier or null.").WithPointer(r.pointer())
	}
	if len(r.Data) == 0 {
		return "", nil
	}
	if r.Data[0].Type != typ {
		return "", Conflict(CodeTypeMismatch,
			fmt.Sprintf("This relationship points to %q resources.", typ)).WithPointer(r.pointer() + "/type")
	}
	return r.Data[0].ID, nil
}

// ToMany checks that the linkage is to-many and every identifier has type
// typ, and returns the ids without duplicates, in request order.
// Errors: 400 invalid_relationship for a to-one, 409 type_mismatch.
func (r IncomingRelationship) ToMany(typ string) ([]string, error) {
	if !r.Many {
		return nil, BadRequest(CodeInvalidRelationship,
			"This relationship is to-many: send an array of identifiers.").WithPointer(r.pointer())
	}
	ids := make([]string, 0, len(r.Data))
	for i, d := range r.Data {
		if d.Type != typ {
			return nil, Conflict(CodeTypeMismatch,
				fmt.Sprintf("This relationship points to %q resources.", typ)).
				WithPointer(r.pointer() + "/" + strconv.Itoa(i) + "/type")
		}
		if !slices.Contains(ids, d.ID) {
			ids = append(ids, d.ID)
		}
	}
	return ids, nil
}

// parseRelationships checks data.relationships. Relationship names share a
// namespace with attribute names, so a name used for both is rejected.
func parseRelationships(res jsonObject, attrs map[string]json.RawMessage) (map[string]IncomingRelationship, *Error) {
	rels := map[string]IncomingRelationship{}
	obj, err := res.memberObject("/data", "relationships")
	if err != nil {
		return nil, err
	}
	for _, name := range obj.sortedKeys() {
		ptr := "/data/relationships/" + escapePointer(name)
		if err := checkFieldName("/data/relationships/", name); err != nil {
			return nil, err
		}
		if _, clash := attrs[name]; clash {
			return nil, invalidDoc(ptr, fmt.Sprintf("%q is sent both as an attribute and as a relationship.", name))
		}
		relObj, err := requireObject(obj[name], ptr, "A relationship")
		if err != nil {
			return nil, err
		}
		if err := relObj.onlyMembers(ptr, "data", "links", "meta"); err != nil {
			return nil, err
		}
		data, ok := relObj["data"]
		if !ok {
			return nil, BadRequest(CodeInvalidRelationship, "A relationship must have a data member.").WithPointer(ptr + "/data")
		}
		rel, err := parseLinkage(data, ptr+"/data")
		if err != nil {
			return nil, err
		}
		rel.Name = name
		rels[name] = rel
	}
	return rels, nil
}

// parseLinkage parses relationship data: null, an identifier or an array.
func parseLinkage(raw json.RawMessage, ptr string) (IncomingRelationship, *Error) {
	if isNull(raw) {
		return IncomingRelationship{}, nil
	}
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) == nil {
		rel := IncomingRelationship{Many: true, Data: make([]Identifier, 0, len(items))}
		for i, item := range items {
			id, err := parseIdentifier(item, ptr+"/"+strconv.Itoa(i))
			if err != nil {
				return IncomingRelationship{}, err
			}
			rel.Data = append(rel.Data, id)
		}
		return rel, nil
	}
	id, err := parseIdentifier(raw, ptr)
	if err != nil {
		return IncomingRelationship{}, err
	}
	return IncomingRelationship{Data: []Identifier{id}}, nil
}

// parseIdentifier parses a resource identifier object. Local ids (lid) are
// not supported, so id is required.
func parseIdentifier(raw json.RawMessage, ptr string) (Identifier, *Error) {
	obj, ok := decodeObject(raw)
	if !ok {
		return Identifier{}, BadRequest(CodeInvalidRelationship,
			"Relationship data must be null, a resource identifier or an array of them.").WithPointer(ptr)
	}
	if err := obj.onlyMembers(ptr, "type", "id", "meta"); err != nil {
		return Identifier{}, err
	}
	var id Identifier
	for _, m := range []struct {
		name string
		dst  *string
	}{{"type", &id.Type}, {"id", &id.ID}} {
		v, present, err := obj.stringMember(ptr, m.name)
		if err != nil {
			return Identifier{}, err
		}
		if !present {
			return Identifier{}, invalidDoc(ptr+"/"+m.name, fmt.Sprintf("A resource identifier must have %q.", m.name))
		}
		*m.dst = v
	}
	if raw, ok := obj["meta"]; ok {
		if _, err := requireObject(raw, ptr+"/meta", "meta"); err != nil {
			return Identifier{}, err
		}
	}
	return id, nil
}
