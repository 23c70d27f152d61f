package jsonapi

import (
	"bytes"
	"encoding/json"
)

// Nullable is an attribute a PATCH may set, clear with null, or leave
// alone; a plain pointer cannot tell "sent null" from "not sent".
type Nullable[T any] struct {
	// Set is true when the attribute was sent at all.
	Set bool
	// Null is true when it was sent as null.
	Null bool
	// Value holds the sent value when Set && !Null.
	Value T
}

// UnmarshalJSON implements json.Unmarshaler. Bind only calls it for
// attributes that were sent.
func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	n.Set = true
	if isNull(b) {
		n.Null = true
		var zero T
		n.Value = zero
		return nil
	}
	n.Null = false
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(&n.Value)
}

// nullable marks Nullable for Bind.
func (Nullable[T]) nullable() {}
