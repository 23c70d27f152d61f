package jsonapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// BindOptions adjusts Bind for one caller.
type BindOptions struct {
	// Forbidden lists field names (attributes or relationships) the caller
	// may not set, typically from the rights layer. Sending one is a 403
	// even when the DTO has no such field, so the client learns the field
	// exists but is not theirs to change.
	Forbidden []string
}

// Bind decodes the request's attributes and relationships into dst, a
// pointer to a struct whose fields carry `jsonapi` tags:
//
//	Title    *string                `jsonapi:"title"`       // attribute
//	DueOn    Nullable[time.Time]    `jsonapi:"dueOn"`       // attribute that may be cleared
//	Owner    *IncomingRelationship  `jsonapi:"owner,rel"`   // relationship
//
// A field that was not sent keeps its value, so with pointer fields nil
// means "not sent" and a PATCH leaves it alone. Sending null to a field
// that is neither a pointer nor Nullable is an error, because it could not
// be told apart from "not sent".
//
// Errors (all collected, each pointing at /data/attributes/NAME or
// /data/relationships/NAME): 403 forbidden_attribute /
// forbidden_relationship for names in opts.Forbidden; 400
// unknown_attribute / unknown_relationship for names without a tagged
// field; 400 invalid_attribute for a value of the wrong JSON type or with
// unknown nested members. If any error occurs dst is left untouched.
//
// A dst that is not a pointer to a tagged struct is a programming error and
// yields a plain (non-*Error) error.
func (in *Incoming) Bind(dst any, opts ...BindOptions) error {
	var opt BindOptions
	if len(opts) > 0 {
		opt = opts[0]
	}
	target := reflect.ValueOf(dst)
	if target.Kind() != reflect.Pointer || target.IsNil() || target.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("jsonapi: Bind needs a non-nil pointer to a struct, got %T", dst)
	}
	fields, err := bindFieldsOf(target.Elem().Type())
	if err != nil {
		return err
	}
	var errs []*Error
	staged := map[int]reflect.Value{}
	for _, name := range sortedNames(in.Attributes) {
		v, e := fields.attribute(name, in.Attributes[name], opt)
		errs = appendErr(errs, e)
		if e == nil {
			staged[fields.byName[name].index] = v
		}
	}
	for _, name := range sortedNames(in.Relationships) {
		v, e := fields.relationship(name, in.Relationships[name], opt)
		errs = appendErr(errs, e)
		if e == nil {
			staged[fields.byName[name].index] = v
		}
	}
	if len(errs) > 0 {
		return Join(errs...)
	}
	for i, v := range staged {
		target.Elem().Field(i).Set(v)
	}
	return nil
}

// appendErr appends e when it is not nil.
func appendErr(errs []*Error, e *Error) []*Error {
	if e != nil {
		errs = append(errs, e)
	}
	return errs
}

// sortedNames returns a map's keys sorted, so errors come in a stable order.
func sortedNames[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// bindField is one tagged struct field.
type bindField struct {
	index int
	rel   bool
	typ   reflect.Type
}

// bindFields describes a DTO type.
type bindFields struct {
	byName map[string]bindField
}

// bindCache memoises bindFieldsOf per type.
var bindCache sync.Map // reflect.Type -> *bindFields

// relType is the field type relationships must be bound to.
var relType = reflect.TypeFor[*IncomingRelationship]()

// bindFieldsOf reads the jsonapi tags of t.
func bindFieldsOf(t reflect.Type) (*bindFields, error) {
	if cached, ok := bindCache.Load(t); ok {
		return cached.(*bindFields), nil
	}
	bf := &bindFields{byName: map[string]bindField{}}
	for i := range t.NumField() {
		f := t.Field(i)
		tag, ok := f.Tag.Lookup("jsonapi")
		if !ok || tag == "-" {
			continue
		}
		name, opt, _ := strings.Cut(tag, ",")
		if name == "" || !f.IsExported() || (opt != "" && opt != "rel") {
			return nil, fmt.Errorf("jsonapi: %s.%s: bad tag %q", t, f.Name, tag)
		}
		if _, dup := bf.byName[name]; dup {
			return nil, fmt.Errorf("jsonapi: %s: field name %q tagged twice", t, name)
		}
		if opt == "rel" && f.Type != relType {
			return nil, fmt.Errorf("jsonapi: %s.%s: relationship fields must be %s", t, f.Name, relType)
		}
		bf.byName[name] = bindField{index: i, rel: opt == "rel", typ: f.Type}
	}
	if len(bf.byName) == 0 {
		return nil, fmt.Errorf("jsonapi: %s has no jsonapi-tagged fields", t)
	}
	bindCache.Store(t, bf)
	return bf, nil
}

// attribute decodes one attribute into a fresh value of its field's type.
func (bf *bindFields) attribute(name string, raw json.RawMessage, opt BindOptions) (reflect.Value, *Error) {
	ptr := "/data/attributes/" + escapePointer(name)
	if slices.Contains(opt.Forbidden, name) {
		return reflect.Value{}, Forbidden(CodeForbiddenAttribute,
			fmt.Sprintf("You may not set %q.", name)).WithPointer(ptr)
	}
	f, ok := bf.byName[name]
	if !ok || f.rel {
		return reflect.Value{}, BadRequest(CodeUnknownAttribute,
			fmt.Sprintf("%q is not an attribute that can be set here.", name)).WithPointer(ptr)
	}
	if isNull(raw) && !nullable(f.typ) {
		return reflect.Value{}, BadRequest(CodeInvalidAttribute,
			fmt.Sprintf("%q cannot be null.", name)).WithPointer(ptr)
	}
	v := reflect.New(f.typ)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v.Interface()); err != nil {
		return reflect.Value{}, BadRequest(CodeInvalidAttribute,
			fmt.Sprintf("%q has the wrong type or shape.", name)).WithPointer(ptr + nestedPointer(err))
	}
	return v.Elem(), nil
}

// relationship binds one relationship.
func (bf *bindFields) relationship(name string, rel IncomingRelationship, opt BindOptions) (reflect.Value, *Error) {
	ptr := "/data/relationships/" + escapePointer(name)
	if slices.Contains(opt.Forbidden, name) {
		return reflect.Value{}, Forbidden(CodeForbiddenRelationship,
			fmt.Sprintf("You may not set %q.", name)).WithPointer(ptr)
	}
	f, ok := bf.byName[name]
	if !ok || !f.rel {
		return reflect.Value{}, BadRequest(CodeUnknownRelationship,
			fmt.Sprintf("%q is not a relationship that can be set here.", name)).WithPointer(ptr)
	}
	return reflect.ValueOf(&rel), nil
}

// nullableType is implemented by Nullable so Bind can recognise it.
type nullableType interface{ nullable() }

// nullable reports whether JSON null is a meaningful value for t.
func nullable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice:
		return true
	}
	return reflect.PointerTo(t).Implements(reflect.TypeFor[nullableType]())
}

// nestedPointer turns the field path of a decode error inside an attribute
// value ("address.street") into a JSON Pointer suffix ("/address/street").
func nestedPointer(err error) string {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) || te.Field == "" {
		return ""
	}
	var b strings.Builder
	for _, seg := range strings.Split(te.Field, ".") {
		b.WriteString("/" + escapePointer(seg))
	}
	return b.String()
}
