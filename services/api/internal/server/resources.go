package server

import (
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
)

const apiBase = "/api/v1"

// toOne is a to-one relationship with its self and related links.
func toOne(typ, id, name, targetType string, targetID int64) jsonapi.Relationship {
	return jsonapi.Relationship{
		Data:  jsonapi.ToOne(targetType, strconv.FormatInt(targetID, 10)),
		Links: jsonapi.RelationshipLinks(apiBase, typ, id, name),
	}
}

// selfLink is the links object of a resource: its own address.
func selfLink(typ, id string) *jsonapi.Links {
	return &jsonapi.Links{Self: apiBase + "/" + typ + "/" + id}
}

// nullableTime is a timestamp attribute that may be unset: null, or the time in UTC.
func nullableTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

func nullableDate(d model.Date) any {
	if d == "" {
		return nil
	}
	return string(d)
}

// listing.DateRule says what a date attribute or filter must be (model.Date.Valid).

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
