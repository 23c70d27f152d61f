package domain

import (
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
)

// SetDate sets *out to the date attribute name of a request when it was sent (raw not nil;
// nil leaves *out as it is). A date is YYYY-MM-DD within the range of model.Date.Valid
// (listing.DateRule); anything else is apperr.Invalid at /data/attributes/name. Every date
// an employee or a contact sends is checked here.
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
