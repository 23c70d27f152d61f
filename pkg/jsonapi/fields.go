package jsonapi

import "slices"

// ApplyFields applies the sparse fieldset requested for res.Type, deleting
// every attribute and relationship not listed; an empty fieldset
// ("fields[cases]=") leaves none. Without a fieldset for the type res is
// unchanged. Fields are deleted, never nulled, like hidden fields.
func ApplyFields(res *Resource, q Query) {
	if res == nil {
		return
	}
	keep, ok := q.Fields[res.Type]
	if !ok {
		return
	}
	for name := range res.Attributes {
		if !slices.Contains(keep, name) {
			delete(res.Attributes, name)
		}
	}
	for name := range res.Relationships {
		if !slices.Contains(keep, name) {
			delete(res.Relationships, name)
		}
	}
}

// ApplyFields applies q's sparse fieldsets to the primary data and to
// every included resource.
func (d *Document) ApplyFields(q Query) {
	for _, r := range d.Data.Resources() {
		ApplyFields(r, q)
	}
	for _, r := range d.Included {
		ApplyFields(r, q)
	}
}
