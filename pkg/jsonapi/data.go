package jsonapi

import "encoding/json"

// Data is a document's primary data: a single resource, a list, an
// explicit null, or relationship linkage. The zero value means "no data
// member" and is omitted from the JSON.
type Data struct {
	kind  dataKind
	one   *Resource
	many  []*Resource
	links Linkage
}

// dataKind tells Data which of its shapes is set.
type dataKind uint8

const (
	dataAbsent dataKind = iota
	dataNull
	dataOne
	dataMany
	dataLinkage
)

// One returns primary data holding a single resource; a nil resource
// becomes an explicit null (e.g. GET /cases/7/owner with no owner).
func One(r *Resource) Data {
	if r == nil {
		return Null()
	}
	return Data{kind: dataOne, one: r}
}

// Many returns primary data holding a list. A nil or empty list is written
// as [] (never null), as JSON:API requires for empty collections.
func Many(rs []*Resource) Data {
	return Data{kind: dataMany, many: rs}
}

// Null returns primary data that is an explicit null.
func Null() Data { return Data{kind: dataNull} }

// IsZero reports whether no data was set; it drives `omitzero`.
func (d Data) IsZero() bool { return d.kind == dataAbsent }

// Resources returns the resources the data holds (none for null, absent
// and linkage data), so callers can post-process them, e.g. ApplyFields.
func (d Data) Resources() []*Resource {
	switch d.kind {
	case dataOne:
		return []*Resource{d.one}
	case dataMany:
		return d.many
	}
	return nil
}

// MarshalJSON implements json.Marshaler.
func (d Data) MarshalJSON() ([]byte, error) {
	switch d.kind {
	case dataOne:
		return json.Marshal(d.one)
	case dataMany:
		if d.many == nil {
			return []byte("[]"), nil
		}
		return json.Marshal(d.many)
	case dataLinkage:
		return d.links.MarshalJSON()
	}
	return []byte("null"), nil
}

// Linkage is relationship data: a to-one identifier, an explicit null, or a
// to-many list. The zero value means "no data member" (a relationship that
// only has links) and is omitted.
type Linkage struct {
	kind dataKind
	one  Identifier
	many []Identifier
}

// ToOne returns to-one linkage to the identified resource.
func ToOne(typ, id string) Linkage {
	return Linkage{kind: dataOne, one: Identifier{Type: typ, ID: id}}
}

// ToOneNull returns an empty to-one relationship (explicit null).
func ToOneNull() Linkage { return Linkage{kind: dataNull} }

// ToMany returns to-many linkage; nil or empty is written as [].
func ToMany(ids []Identifier) Linkage {
	return Linkage{kind: dataMany, many: ids}
}

// Identifiers builds identifiers of one type, the common case for ToMany.
func Identifiers(typ string, ids ...string) []Identifier {
	out := make([]Identifier, len(ids))
	for i, id := range ids {
		out[i] = Identifier{Type: typ, ID: id}
	}
	return out
}

// Targets returns the identifiers the linkage points at: one, many, or none for null or
// absent linkage. Servers use it to resolve include paths.
func (l Linkage) Targets() []Identifier {
	switch l.kind {
	case dataOne:
		return []Identifier{l.one}
	case dataMany:
		return l.many
	}
	return nil
}

// IsMany reports whether the linkage is to-many.
func (l Linkage) IsMany() bool { return l.kind == dataMany }

// Data returns the linkage as a document's primary data, for relationship
// endpoints such as GET /cases/7/relationships/owner.
func (l Linkage) Data() Data { return Data{kind: dataLinkage, links: l} }

// IsZero reports whether no linkage was set; it drives `omitzero`.
func (l Linkage) IsZero() bool { return l.kind == dataAbsent }

// MarshalJSON implements json.Marshaler.
func (l Linkage) MarshalJSON() ([]byte, error) {
	switch l.kind {
	case dataOne:
		return json.Marshal(l.one)
	case dataMany:
		if l.many == nil {
			return []byte("[]"), nil
		}
		return json.Marshal(l.many)
	}
	return []byte("null"), nil
}
