package domain

import (
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
)

// ValidDate returns raw, the date attribute name of a request, as a date: YYYY-MM-DD within
// the range of model.Date.Valid (listing.DateRule), or apperr.Invalid at
// /data/attributes/name. Every date an employee or a contact sends is checked here.
func ValidDate(name, raw string) (model.Date, error) {
	d := model.Date(raw)
	if !d.Valid() {
		return "", apperr.E(apperr.Invalid, "%s must be %s", name, listing.DateRule).AtPointer("/data/attributes/" + name)
	}
	return d, nil
}
