package jsonapi

import "encoding/json"

// Data is a document's primary data: a single resource, a list, an
// explicit null, or relationship linkage. The zero value means "no data
// member" and is omitted from the JSON.
type Data struct {
	payload[*Resource]
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

// payload is what primary data and linkage have in common: one item, a list, or neither.
type payload[T any] struct {
	kind dataKind
	one  T
	many []T
}

// items returns the one item, the list, or nothing.
func (p payload[T]) items() []T {
	switch p.kind {
	case dataOne:
		return []T{p.one}
	case dataMany:
		return p.many
	}
	return nil
}

// marshal writes one item, a list (never null, as JSON:API requires for an empty
// collection), or null.
func (p payload[T]) marshal() ([]byte, error) {
	switch p.kind {
	case dataOne:
		return json.Marshal(p.one)
	case dataMany:
		if p.many == nil {
			return []byte("[]"), nil
		}
		return json.Marshal(p.many)
	}
	return []byte("null"), nil
}

// One returns primary data holding a single resource; a nil resource
// becomes an explicit null (e.g. GET /cases/7/owner with no owner).
func One(r *Resource) Data {
	if r == nil {
		return Null()
	}
	return Data{payload: payload[*Resource]{kind: dataOne, one: r}}
}

// Many returns primary data holding a list. A nil or empty list is written
// as [] (never null), as JSON:API requires for empty collections.
func Many(rs []*Resource) Data {
	return Data{payload: payload[*Resource]{kind: dataMany, many: rs}}
}

// Null returns primary data that is an explicit null.
func Null() Data { return Data{payload: payload[*Resource]{kind: dataNull}} }

// IsZero reports whether no data was set; it drives `omitzero`.
func (d Data) IsZero() bool { return d.kind == dataAbsent }

// Resources returns the resources the data holds (none for null, absent
// and linkage data), so callers can post-process them, e.g. ApplyFields.
func (d Data) Resources() []*Resource {
	if d.kind == dataLinkage {
		return nil
	}
	return d.items()
}

// MarshalJSON implements json.Marshaler.
func (d Data) MarshalJSON() ([]byte, error) {
	if d.kind == dataLinkage {
		return d.links.MarshalJSON()
	}
	return d.marshal()
}

// Linkage is relationship data: a to-one identifier, an explicit null, or a
// to-many list. The zero value means "no data member" (a relationship that
// only has links) and is omitted.
type Linkage struct {
	payload[Identifier]
}

// ToOne returns to-one linkage to the identified resource.
func ToOne(typ, id string) Linkage {
	return Linkage{payload[Identifier]{kind: dataOne, one: Identifier{Type: typ, ID: id}}}
}

// ToOneNull returns an empty to-one relationship (explicit null).
func ToOneNull() Linkage { return Linkage{payload[Identifier]{kind: dataNull}} }

// ToMany returns to-many linkage; nil or empty is written as [].
func ToMany(ids []Identifier) Linkage {
	return Linkage{payload[Identifier]{kind: dataMany, many: ids}}
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
func (l Linkage) Targets() []Identifier { return l.items() }

// IsMany reports whether the linkage is to-many.
func (l Linkage) IsMany() bool { return l.kind == dataMany }

// Data returns the linkage as a document's primary data, for relationship
// endpoints such as GET /cases/7/relationships/owner.
func (l Linkage) Data() Data { return Data{payload: payload[*Resource]{kind: dataLinkage}, links: l} }

// IsZero reports whether no linkage was set; it drives `omitzero`.
func (l Linkage) IsZero() bool { return l.kind == dataAbsent }

// MarshalJSON implements json.Marshaler.
func (l Linkage) MarshalJSON() ([]byte, error) { return l.marshal() }
