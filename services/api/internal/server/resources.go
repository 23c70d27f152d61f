package server

import (
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

const apiBase = "/api/v1"

// toOne is a to-one relationship with its self and related links.
func toOne(typ, id, name, targetType string, targetID int64) jsonapi.Relationship {
	return jsonapi.Relationship{
		Data:  jsonapi.ToOne(targetType, strconv.FormatInt(targetID, 10)),
		Links: jsonapi.RelationshipLinks(apiBase, typ, id, name),
	}
}

func nullableDate(d model.Date) any {
	if d == "" {
		return nil
	}
	return string(d)
}

// ruleList returns the rule IDs of a reason, comma-separated, for error meta.
func ruleList(r rights.Reason) string {
	return strings.Join(r.Rules(), ",")
}

// dateField is one optional, clearable date attribute of a request and where it goes.
type dateField struct {
	name string
	in   jsonapi.Nullable[string]
	out  *model.Date
}

// listing.DateRule says what a date attribute or filter must be (model.Date.Valid).

// checkDate returns raw as a date, or a 400 pointing at the attribute name.
func checkDate(name, raw string) (model.Date, error) {
	d := model.Date(raw)
	if !d.Valid() {
		return "", apperr.E(apperr.Invalid, "%s must be %s", name, listing.DateRule).AtPointer("/data/attributes/" + name)
	}
	return d, nil
}

// checkRange refuses an integer attribute outside its range (pkg/model) with a 400 pointing
// at the attribute name.
func checkRange(name string, v int64, r model.Range) error {
	if !r.Contains(v) {
		return apperr.E(apperr.Invalid, "%s must be between %d and %d", name, r.Min, r.Max).AtPointer("/data/attributes/" + name)
	}
	return nil
}

var (
	timePtrType      = reflect.TypeFor[*time.Time]()
	nullableTimeType = reflect.TypeFor[jsonapi.Nullable[time.Time]]()
)

// checkTimes refuses a sent timestamp attribute of a bound request (a *time.Time or a
// Nullable[time.Time] field of dst) outside model.MinTime..MaxTime, with a 400 pointing at
// it. PostgreSQL refuses year 0, which JSON timestamps can name, and a time past year 9999
// could be stored but never written out again as JSON. Doing it once for every request body
// means no endpoint can forget it.
func checkTimes(dst any) error {
	v := reflect.ValueOf(dst).Elem()
	for i := range v.NumField() {
		var t time.Time
		switch f := v.Field(i); f.Type() {
		case timePtrType:
			if f.IsNil() {
				continue
			}
			t = *f.Interface().(*time.Time)
		case nullableTimeType:
			n := f.Interface().(jsonapi.Nullable[time.Time])
			if !n.Set || n.Null {
				continue
			}
			t = n.Value
		default:
			continue
		}
		if !model.TimeInRange(t) {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("jsonapi"), ",")
			return apperr.E(apperr.Invalid, "%s must be a time from %s to %s (UTC)", name,
				model.MinTime.Format(time.RFC3339), model.MaxTime.Format(time.RFC3339)).AtPointer("/data/attributes/" + name)
		}
	}
	return nil
}

// applyDates sets each sent date (null clears it), refusing anything but YYYY-MM-DD within
// the range of model.Date.Valid.
func applyDates(fields ...dateField) error {
	for _, f := range fields {
		if !f.in.Set {
			continue
		}
		if f.in.Null {
			*f.out = ""
			continue
		}
		d, err := checkDate(f.name, f.in.Value)
		if err != nil {
			return err
		}
		*f.out = d
	}
	return nil
}
