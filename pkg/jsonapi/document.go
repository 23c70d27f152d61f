package jsonapi

import "encoding/json"

// Meta is free-form, non-standard information. Keys serialise in sorted
// order.
type Meta map[string]any

// Document is a top-level JSON:API response document.
//
// A zero Data is omitted from the JSON, which is what meta-only and error
// documents need; use One, Many, Null or Linkage.Data to set it.
type Document struct {
	Data     Data          `json:"data,omitzero"`
	Included []*Resource   `json:"included,omitempty"`
	Meta     Meta          `json:"meta,omitempty"`
	Links    *Links        `json:"links,omitempty"`
	Errors   []ErrorObject `json:"errors,omitempty"`
	JSONAPI  JSONAPIObject `json:"jsonapi"`
}

// JSONAPIObject is the document's "jsonapi" member. An empty Version is
// written as Version, so every document declares 1.1 without callers
// having to remember it.
type JSONAPIObject struct {
	Version string `json:"version"`
	Meta    Meta   `json:"meta,omitempty"`
}

// MarshalJSON implements json.Marshaler, defaulting the version.
func (o JSONAPIObject) MarshalJSON() ([]byte, error) {
	type plain JSONAPIObject
	if o.Version == "" {
		o.Version = Version
	}
	return json.Marshal(plain(o))
}

// Resource is a resource object.
//
// Attributes is a plain map: encoding/json writes map keys in sorted order,
// so output is stable, and an attribute deleted from the map (see Hide) is
// absent from the JSON rather than null. Hidden fields must be deleted, not
// set to nil: nil is written as an explicit null.
type Resource struct {
	Type          string                  `json:"type"`
	ID            string                  `json:"id"`
	Attributes    map[string]any          `json:"attributes,omitempty"`
	Relationships map[string]Relationship `json:"relationships,omitempty"`
	Links         *Links                  `json:"links,omitempty"`
	Meta          Meta                    `json:"meta,omitempty"`
}

// Hide removes the named fields (attributes and relationships share one
// namespace in JSON:API) so that they are absent from the output. It is
// the operation the rights layer's "hidden fields" map onto.
func (r *Resource) Hide(fields ...string) {
	for _, f := range fields {
		delete(r.Attributes, f)
		delete(r.Relationships, f)
	}
}

// Identifier is a resource identifier object.
type Identifier struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Meta Meta   `json:"meta,omitempty"`
}

// Relationship is a relationship object inside a resource. JSON:API wants
// at least one of Data, Links and Meta to be set.
type Relationship struct {
	Data  Linkage `json:"data,omitzero"`
	Links *Links  `json:"links,omitempty"`
	Meta  Meta    `json:"meta,omitempty"`
}

// Links holds the link members this API uses. Empty members are omitted,
// which JSON:API allows for unavailable pagination links.
type Links struct {
	Self    string `json:"self,omitempty"`
	Related string `json:"related,omitempty"`
	First   string `json:"first,omitempty"`
	Prev    string `json:"prev,omitempty"`
	Next    string `json:"next,omitempty"`
	Last    string `json:"last,omitempty"`
}
