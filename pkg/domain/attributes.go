package domain

import (
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
)

// The checked setters of the attributes a request sends: each sets *out when the attribute
// was sent (nil leaves *out as it is, the rule of every input) and refuses a value outside
// its bounds with apperr.Invalid at /data/attributes/name. The inputs of cases, phases,
// invoices, work hours and travel use them.

// SetDate sets a date: YYYY-MM-DD within the range of model.Date.Valid (listing.DateRule).
func SetDate(name string, raw *string, out *model.Date) error {
	if raw == nil {
		return nil
	}
	d := model.Date(*raw)
	if !d.Valid() {
		return apperr.E(apperr.Invalid, "%s must be %s", name, listing.DateRule).AtPointer("/data/attributes/" + name)
	}
	*out = d
	return nil
}

// SetInRange sets an integer within its range r (pkg/model: money, minutes).
func SetInRange[N ~int | ~int64](name string, v *N, r model.Range, out *N) error {
	if v == nil {
		return nil
	}
	if !r.Contains(int64(*v)) {
		return apperr.E(apperr.Invalid, "%s must be between %d and %d", name, r.Min, r.Max).AtPointer("/data/attributes/" + name)
	}
	*out = *v
	return nil
}
